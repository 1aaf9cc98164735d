using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace HomeOps.Simulator.Tests.Support;

/// <summary>One watch event as it arrived: its type, object and the raw line.</summary>
internal sealed record WatchLine(string Type, JsonObject Object, string Raw)
{
    public string? Name => Object["metadata"]?["name"]?.GetValue<string>();
    public string? ResourceVersion => Object["metadata"]?["resourceVersion"]?.GetValue<string>();
}

/// <summary>
/// A raw watch over HttpClient: reads the chunked body line by line as events arrive, so tests can check
/// that events are streamed one at a time, not buffered until the response ends.
/// </summary>
internal sealed class WatchStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly Channel<WatchLine> _lines = Channel.CreateUnbounded<WatchLine>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;

    private WatchStream(HttpResponseMessage response)
    {
        _response = response;
        _reader = ReadAsync();
    }

    public HttpResponseMessage Response => _response;

    /// <summary>Completes when the server has ended the stream (whether or not every event was read).</summary>
    public Task Ended => _reader;

    public static async Task<WatchStream> OpenAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        return new WatchStream(response);
    }

    /// <summary>The next event, or a TimeoutException; null when the stream ended.</summary>
    public async Task<WatchLine?> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            return await _lines.Reader.WaitToReadAsync(cts.Token) && _lines.Reader.TryRead(out var line) ? line : null;
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("No watch event arrived in time");
        }
    }

    /// <summary>Skips events until one matches (bookmarks and unrelated changes are skipped).</summary>
    public async Task<WatchLine> NextMatchingAsync(Func<WatchLine, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero) throw new TimeoutException("No matching watch event arrived in time");
            var line = await NextAsync(remaining) ?? throw new InvalidOperationException("The watch stream ended");
            if (match(line)) return line;
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            await using var body = await _response.Content.ReadAsStreamAsync(_stop.Token);
            using var reader = new StreamReader(body);
            while (await reader.ReadLineAsync(_stop.Token) is { } raw)
            {
                if (raw.Length == 0) continue;
                var node = JsonNode.Parse(raw)!.AsObject();
                await _lines.Writer.WriteAsync(new WatchLine(node["type"]!.GetValue<string>(), node["object"]!.AsObject(), raw));
            }
            _lines.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _lines.Writer.TryComplete(e is OperationCanceledException ? null : e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        try
        {
            await _reader;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
