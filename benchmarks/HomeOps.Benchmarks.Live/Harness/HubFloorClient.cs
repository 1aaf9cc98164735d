using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;

namespace HomeOps.Benchmarks.Live.Harness;

/// <summary>
/// The floor's client side: a signed-in viewer of the cluster hub (<c>/hubs/cluster</c>) in this process, fed by the
/// same store → coalescing → push path as the circuits but doing no work — no renderer, no DOM. It records when each
/// probe sequence number arrived, so the measured page can be reported as a ratio to it.
/// </summary>
public sealed partial class HubFloorClient : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly ConcurrentQueue<ProbeSighting> _seen = new();

    private HubFloorClient(HubConnection connection) => _connection = connection;

    public static async Task<HubFloorClient> ConnectAsync(string baseUrl, string storageState)
    {
        var cookie = CookieHeader(storageState);
        var connection = new HubConnectionBuilder()
            .WithUrl(baseUrl + "/hubs/cluster", o => o.Headers["Cookie"] = cookie)
            .Build();
        var client = new HubFloorClient(connection);
        var snapshot = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<JsonElement>("Snapshot", _ => snapshot.TrySetResult());
        connection.On<JsonElement>("Changes", client.OnChanges);
        await connection.StartAsync();
        await snapshot.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return client;
    }

    /// <summary>Every sighting since the last call.</summary>
    public List<ProbeSighting> Take()
    {
        var list = new List<ProbeSighting>();
        while (_seen.TryDequeue(out var s)) list.Add(s);
        return list;
    }

    private void OnChanges(JsonElement delta)
    {
        var at = Clock.NowMs();
        if (!delta.TryGetProperty("upserted", out var upserted)) return;
        foreach (var entry in upserted.EnumerateArray())
            if (entry.TryGetProperty("message", out var message) && ProbeText().Match(message.GetString() ?? "") is { Success: true } m)
                _seen.Enqueue(new ProbeSighting(int.Parse(m.Groups[1].Value), long.Parse(m.Groups[2].Value), at));
    }

    /// <summary>The signed-in viewer's cookies (Playwright storage state) as one Cookie header.</summary>
    public static string CookieHeader(string storageState)
    {
        using var doc = JsonDocument.Parse(storageState);
        return string.Join("; ", doc.RootElement.GetProperty("cookies").EnumerateArray()
            .Select(c => $"{c.GetProperty("name").GetString()}={c.GetProperty("value").GetString()}"));
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    [GeneratedRegex(@"^bench p(\d+) seq (\d+)$")]
    private static partial Regex ProbeText();
}
