using HomeOps.Benchmarks.Live.Harness;
using HomeOps.Benchmarks.Live.Report;
using static HomeOps.Benchmarks.Live.Report.BenchReport;

namespace HomeOps.Benchmarks.Live.Items;

/// <summary>Table rows and metrics for latency samples, shared by items 2 and 7.</summary>
public static class LatencyRows
{
    public static readonly string[] Columns = ["changes/s", "pages", "page", "samples", "p50 ms", "p95 ms", "p99 ms", "max ms", "missed", "dashboard CPU % (1 core = 100)", "machine CPU %"];

    public static void Add(BenchReport report, ResultTable table, ProbeRunResult run, string metricPrefix)
    {
        foreach (var (path, s) in run.ByPath.Append(new("all", run.All)))
        {
            var p50 = Percentiles.Of(s.Milliseconds, 50);
            var p95 = Percentiles.Of(s.Milliseconds, 95);
            var p99 = Percentiles.Of(s.Milliseconds, 99);
            var max = s.Milliseconds.Count == 0 ? double.NaN : s.Milliseconds.Max();
            table.Rows.Add([F(run.Rate, 0), run.Pages.ToString(), path, s.Milliseconds.Count.ToString(), F(p50), F(p95), F(p99), F(max), $"{s.Missed}/{s.Writes}", F(run.DashboardCpuPercent, 0), F(run.MachineCpuPercent, 0)]);
            var key = $"{metricPrefix}.r{run.Rate:0}.k{run.Pages}.{(path == "/" ? "overview" : path.Trim('/'))}";
            report.Metric(key + ".p50", p50);
            report.Metric(key + ".p95", p95);
            report.Metric(key + ".p99", p99);
            report.Metric(key + ".missed", s.Missed);
            report.Metric(key + ".samples", s.Milliseconds.Count);
            report.Metric(key + ".dashboardCpuPercent", run.DashboardCpuPercent);
            report.Metric(key + ".machineCpuPercent", run.MachineCpuPercent);
        }
    }
}

/// <summary>
/// The server apart from the browsers, each figure beside the floor measured in the same run: the dashboard's own
/// timestamps (ready in the store, batch sent on every circuit and on the last one) against the hub message's (the same
/// push path with no rendering), and the measured Chromium page against the hub client's receipt. Ratios are p99 ÷ floor p99.
/// </summary>
public static class ServerRows
{
    public static readonly string[] Columns =
    [
        "changes/s", "pages", "load avg (1 min) before → after", "circuits",
        "ready p50/p99 ms", "sent, every circuit p50/p99 ms", "sent, last circuit p50/p99 ms", "floor: hub message sent p50/p99 ms", "last circuit ÷ floor (p99)",
        "measured page p50/p99 ms", "floor: hub client received p50/p99 ms", "page ÷ floor (p99)", "page − floor (p99) ms", "missed: last circuit / page / floor",
    ];

    public static void Add(BenchReport report, ResultTable table, ProbeRunResult run, string metricPrefix)
    {
        var s = run.Server;
        var key = $"{metricPrefix}.r{run.Rate:0}.k{run.Pages}";
        double P(LatencySamples x, double p) => Percentiles.Of(x.Milliseconds, p);
        string Pair(LatencySamples x) => $"{F(P(x, 50))} / {F(P(x, 99))}";
        var serverRatio = P(s.LastCircuit, 99) / P(s.Hub, 99);
        var pageRatio = P(run.MeasuredPage, 99) / P(run.HubClient, 99);
        var pageOver = P(run.MeasuredPage, 99) - P(run.HubClient, 99);
        table.Rows.Add([
            F(run.Rate, 0), run.Pages.ToString(), $"{F(run.LoadBefore, 1)} → {F(run.LoadAfter, 1)}", s.Circuits.ToString(),
            Pair(s.Ready), Pair(s.EveryCircuit), Pair(s.LastCircuit), Pair(s.Hub), $"{F(serverRatio, 2)}×",
            Pair(run.MeasuredPage), Pair(run.HubClient), $"{F(pageRatio, 2)}×", F(pageOver),
            $"{s.LastCircuit.Missed} / {run.MeasuredPage.Missed} / {run.HubClient.Missed} of {run.Writes}",
        ]);
        void Series(string name, LatencySamples x)
        {
            report.Metric($"{key}.{name}.p50", P(x, 50));
            report.Metric($"{key}.{name}.p99", P(x, 99));
            report.Metric($"{key}.{name}.samples", x.Milliseconds.Count);
            report.Metric($"{key}.{name}.missed", x.Missed);
        }
        Series("server.ready", s.Ready);
        Series("server.everyCircuit", s.EveryCircuit);
        Series("server.lastCircuit", s.LastCircuit);
        Series("floor.hubSent", s.Hub);
        Series("page", run.MeasuredPage);
        Series("floor.hubClient", run.HubClient);
        report.Metric($"{key}.server.ratioToFloor", serverRatio);
        report.Metric($"{key}.page.ratioToFloor", pageRatio);
        report.Metric($"{key}.page.overFloorMs", pageOver);
        report.Metric($"{key}.circuits", s.Circuits);
        report.Metric($"{key}.loadAverage", run.LoadAfter);
    }

    /// <summary>One console line: the figures with their floors and ratios.</summary>
    public static string Line(ProbeRunResult run)
    {
        var s = run.Server;
        double P(LatencySamples x, double p) => Percentiles.Of(x.Milliseconds, p);
        return $"  server: last circuit p99 {P(s.LastCircuit, 99):F0} ms (floor hub sent {P(s.Hub, 99):F0} ms, {P(s.LastCircuit, 99) / P(s.Hub, 99):F2}×, {s.Circuits} circuits); " +
               $"measured page p99 {P(run.MeasuredPage, 99):F0} ms (floor hub client {P(run.HubClient, 99):F0} ms, {P(run.MeasuredPage, 99) / P(run.HubClient, 99):F2}×); load {run.LoadBefore:F1} → {run.LoadAfter:F1}";
    }
}
