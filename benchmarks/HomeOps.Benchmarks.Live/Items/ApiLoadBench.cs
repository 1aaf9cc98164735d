using HomeOps.Benchmarks.Live.Harness;
using HomeOps.Benchmarks.Live.Report;
using Microsoft.Playwright;
using static HomeOps.Benchmarks.Live.Report.BenchReport;

namespace HomeOps.Benchmarks.Live.Items;

/// <summary>
/// Item 3, API-server load: open watch connections and list/watch requests per minute the dashboard causes with
/// 1, 10 and 50 viewers on the overview, beside a polling baseline (every viewer lists every kind every 5 s) run
/// against the same simulator in the same run.
/// </summary>
public static class ApiLoadBench
{
    public static async Task<BenchReport> RunAsync(BenchContext ctx)
    {
        var report = ctx.NewReport("api-load", "3. API-server load");
        var rig = await ctx.RigAsync(ClusterShape.HomeOps());
        int[] viewerCounts = ctx.Smoke ? [1, 2] : [1, 10, 50];
        var window = ctx.Smoke ? TimeSpan.FromSeconds(1.5) : TimeSpan.FromSeconds(30);
        var faults = rig.Simulator.Faults;
        var table = new ResultTable($"Kubernetes API list+watch requests per minute and open watches ({window.TotalSeconds:0} s windows)",
            ["viewers", "dashboard watches open", "dashboard requests/min", "polling requests/min (5 s)", "polling MB/min", "ratio polling / dashboard"], []);
        report.Tables.Add(table);

        var pages = new List<IPage>();
        var watchCounts = new List<int>();
        var dashboardRates = new List<double>();
        try
        {
            foreach (var viewers in viewerCounts)
            {
                while (pages.Count < viewers) pages.Add(await rig.OpenPageAsync("/"));
                await Task.Delay(TimeSpan.FromSeconds(ctx.Smoke ? 0.5 : 5));     // connecting pages settle
                var (l0, w0) = (faults.ListRequests, faults.WatchRequests);
                await Task.Delay(window);
                var dashboardRequests = faults.ListRequests - l0 + faults.WatchRequests - w0;
                var open = faults.OpenWatches;
                var dashboardPerMin = dashboardRequests * 60 / window.TotalSeconds;

                var polling = new PollingViewers(rig.Simulator, viewers, TimeSpan.FromSeconds(5));
                var (pl0, pw0) = (faults.ListRequests, faults.WatchRequests);
                await polling.RunAsync(window);
                var serverSeen = faults.ListRequests - pl0 + faults.WatchRequests - pw0;
                var pollingPerMin = polling.Requests * 60 / window.TotalSeconds;
                // The server's count in the polling window is the baseline's requests plus the dashboard's own.
                report.Require(serverSeen >= polling.Requests, $"server saw {serverSeen} requests, the pollers sent {polling.Requests}");
                report.Require(polling.Failures == 0, $"{polling.Failures} polling requests failed");
                var ratio = pollingPerMin / Math.Max(dashboardPerMin, 1);
                table.Rows.Add([viewers.ToString(), open.ToString(), F(dashboardPerMin), F(pollingPerMin, 0), F(polling.ResponseBytes / 1048576.0 * 60 / window.TotalSeconds), dashboardPerMin < 1 ? $"≥ {ratio:N0}×" : $"{ratio:N0}×"]);
                report.Metric($"apiLoad.v{viewers}.watchesOpen", open);
                report.Metric($"apiLoad.v{viewers}.dashboardRequestsPerMinute", dashboardPerMin);
                report.Metric($"apiLoad.v{viewers}.pollingRequestsPerMinute", pollingPerMin);
                report.Metric($"apiLoad.v{viewers}.ratio", ratio);
                watchCounts.Add(open);
                dashboardRates.Add(dashboardPerMin);
                ctx.Log.WriteLine($"api-load {viewers} viewers: {open} watches, {dashboardPerMin:F1} req/min vs polling {pollingPerMin:F0} req/min");
            }
        }
        finally
        {
            await LiveRig.CloseAsync(pages);
        }

        var kinds = rig.Simulator.Cluster.Kinds.Count(k => k.IsKubernetes);
        report.Require(watchCounts.All(w => w > 0), "the dashboard held no watch open");
        report.Check("watch connections constant across viewer counts", $"= {watchCounts[0]} at every count (≤ {kinds} kinds)",
            watchCounts.Max() - watchCounts.Min(), 0, "difference");
        report.Check("watch connections ≤ one per kind", $"≤ {kinds}", watchCounts.Max(), kinds, "watches");
        report.Check($"requests/min at {viewerCounts[^1]} viewers ≤ at 1 viewer + 1", "constant",
            dashboardRates[^1] - dashboardRates[0], 1, "req/min more");
        report.Notes.Add("Requests are the simulator's list and watch requests (ApiCounters); the Authentik API the dashboard polls every 10 s is not a Kubernetes API request and is not counted. " +
                         "With no viewer-driven request, the ratio is against 1 request/min (shown as ≥).");
        report.Notes.Add("Comparison: Kubernetes Dashboard and Weave GitOps poll every 5–10 s per viewer, homepage every 1.5 s per viewer, the Flux Operator UI every 30 s per viewer.");
        return report;
    }
}
