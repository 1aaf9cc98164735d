using Microsoft.Playwright;

namespace HomeOps.Benchmarks.Live.Harness;

/// <summary>The outcome of driving probe changes at one rate while some pages watch: samples per page path.</summary>
/// <remarks><see cref="MeasuredPage"/> is the first page's Chromium figure (end to end); <see cref="Server"/> the
/// dashboard's own timestamps for every circuit and the hub; <see cref="HubClient"/> the floor's client side; load
/// averages are the 1-minute figure before and after the run (the machine is shared).</remarks>
public sealed record ProbeRunResult(double Rate, int Pages, Dictionary<string, LatencySamples> ByPath, int Writes, IReadOnlyList<string> Visibility,
    double DashboardCpuPercent, double MachineCpuPercent, LatencySamples MeasuredPage, ServerSamples Server, LatencySamples HubClient,
    double LoadBefore, double LoadAfter)
{
    public LatencySamples All => new(
        ByPath.Values.SelectMany(s => s.Milliseconds).ToList(),
        ByPath.Values.Sum(s => s.Missed),
        ByPath.Values.Sum(s => s.Writes));
}

/// <summary>Drives probe writes at a steady rate while pages record when each sequence number appears, then matches them.</summary>
public static class ProbeRun
{
    public static async Task<ProbeRunResult> RunAsync(LiveRig rig, IReadOnlyList<(string Path, IPage Page)> pages, double rate,
        TimeSpan duration, TimeSpan grace, Func<CancellationToken, Task>? background = null)
    {
        foreach (var (_, page) in pages) await DomProbe.TakeAsync(page);   // forget anything seen before this run
        rig.HubFloor.Take();
        var loadBefore = LoadAverage.OneMinute();
        await using var trace = LiveTraceSession.Start(rig.Dashboard.ProcessId);
        var total = (long)Math.Round(rate * duration.TotalSeconds);
        var first = rig.NextSeq(total + 1);
        var cpu0 = rig.Dashboard.CpuTime();
        var machine0 = MachineCpu.Busy();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var load = background?.Invoke(stop.Token) ?? Task.CompletedTask;
        var writes = await ChangeDriver.RunProbesAsync(rig.Simulator.Cluster, rig.Shape.Probes, rate, duration, first);
        await stop.CancelAsync();
        try { await load; } catch (OperationCanceledException) { }
        // Where the cores went during the run: the dashboard's share (of one core) and the whole machine's (of all cores).
        var dashboardCpu = (rig.Dashboard.CpuTime() - cpu0).TotalSeconds / clock.Elapsed.TotalSeconds * 100;
        var machineCpu = MachineCpu.PercentSince(machine0);

        // Wait until every page showed each probe's last write, or the grace period ends (what is still unseen is missed).
        var last = writes.GroupBy(w => w.Probe).ToDictionary(g => g.Key, g => g.Max(w => w.Seq));
        var seen = pages.Select(_ => new List<ProbeSighting>()).ToArray();
        var hubSeen = new List<ProbeSighting>();
        var visibility = new List<string>();
        var deadline = DateTime.UtcNow + grace;
        while (true)
        {
            var complete = true;
            for (var i = 0; i < pages.Count; i++)
            {
                var (sightings, vis) = await DomProbe.TakeAsync(pages[i].Page);
                seen[i].AddRange(sightings);
                if (!visibility.Contains(vis)) visibility.Add(vis);
                complete &= last.All(l => seen[i].Any(s => s.Probe == l.Key && s.Seq >= l.Value));
            }
            hubSeen.AddRange(rig.HubFloor.Take());
            complete &= last.All(l => hubSeen.Any(s => s.Probe == l.Key && s.Seq >= l.Value));
            if (complete || DateTime.UtcNow > deadline) break;
            await Task.Delay(200);
        }

        var byPath = new Dictionary<string, LatencySamples>();
        for (var i = 0; i < pages.Count; i++)
        {
            var m = LatencyMatcher.Match(writes, seen[i]);
            if (byPath.TryGetValue(pages[i].Path, out var acc))
            {
                acc.Milliseconds.AddRange(m.Milliseconds);
                byPath[pages[i].Path] = acc with { Missed = acc.Missed + m.Missed, Writes = acc.Writes + m.Writes };
            }
            else byPath[pages[i].Path] = m;
        }
        var points = await trace.StopAsync();
        var server = ServerTrace.Match(writes, points, HomeOps.Cluster.Model.Kinds.Kustomization.Key);
        return new ProbeRunResult(rate, pages.Count, byPath, writes.Count, visibility, dashboardCpu, machineCpu,
            LatencyMatcher.Match(writes, seen[0]), server, LatencyMatcher.Match(writes, hubSeen), loadBefore, LoadAverage.OneMinute());
    }
}
