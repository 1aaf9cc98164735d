using System.Net.Http.Headers;
using HomeOps.Cluster.Model;
using HomeOps.Simulator;

namespace HomeOps.Benchmarks.Live.Harness;

/// <summary>
/// The polling baseline of item 3: each viewer lists every kind every <c>interval</c>, as the Kubernetes Dashboard
/// does (5 s) — the way a dashboard without shared watches loads the API server. Viewers start spread over one interval.
/// </summary>
public sealed class PollingViewers(SimulatorHost simulator, int viewers, TimeSpan interval)
{
    public long Requests;
    public long ResponseBytes;
    public long Failures;

    public async Task RunAsync(TimeSpan duration)
    {
        using var http = new HttpClient { BaseAddress = simulator.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", simulator.KubernetesToken);
        var paths = simulator.Cluster.Kinds.Where(k => k.IsKubernetes).Select(PathOf).ToList();
        using var stop = new CancellationTokenSource(duration);
        await Task.WhenAll(Enumerable.Range(0, viewers).Select(v => ViewerAsync(http, paths, v, stop.Token)));
    }

    private async Task ViewerAsync(HttpClient http, IReadOnlyList<string> paths, int index, CancellationToken ct)
    {
        try
        {
            await Task.Delay(interval * index / Math.Max(1, viewers), ct);
            using var timer = new PeriodicTimer(interval);
            do
            {
                foreach (var path in paths)
                {
                    using var response = await http.GetAsync(path, ct);
                    var body = await response.Content.ReadAsByteArrayAsync(ct);
                    Interlocked.Increment(ref Requests);
                    Interlocked.Add(ref ResponseBytes, body.Length);
                    if (!response.IsSuccessStatusCode) Interlocked.Increment(ref Failures);
                }
            } while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) { }
    }

    private static string PathOf(KindInfo k) =>
        k.Group.Length == 0 ? $"api/{k.Version}/{k.Plural}" : $"apis/{k.Group}/{k.Version}/{k.Plural}";
}
