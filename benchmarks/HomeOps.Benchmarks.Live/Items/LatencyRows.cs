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
