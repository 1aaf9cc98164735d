using System.Globalization;
using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Dashboard.ViewModels;

/// <summary>One probe target's last result: what was probed, how far it got, in how long, and when.</summary>
public sealed record ProbeRow(
    string Key,
    string Target,
    string Source,
    string Owner,
    HealthStatus Health,
    string Reason,
    string Message,
    string Steps,
    string Latency,
    string Certificate,
    DateTimeOffset At,
    ResourceSnapshot Resource)
{
    public string TestId => RowIds.For(Kinds.ProbeTarget, Target);
}

/// <summary>The NetworkPath tile and page: the Cluster rollup and one row per probe target, worst first. Derives no health.</summary>
public sealed record NetworkPathSummary(NetworkPathRollup Rollup, IReadOnlyList<ProbeRow> Problems);

public static class NetworkPathView
{
    public static NetworkPathSummary Summarize(ClusterState state) =>
        new(AreaRollups.NetworkPath(state), Targets(state).Where(r => HealthOrder.IsProblem(r.Health)).ToList());

    public static IReadOnlyList<ProbeRow> Targets(ClusterState state) =>
        HealthOrder.WorstFirst(state.Items(Kinds.ProbeTarget).Where(s => s.Details is ProbeDetails).Select(s =>
        {
            var d = (ProbeDetails)s.Details;
            return new ProbeRow(s.Key, d.Target, d.Source == ProbeSources.Vip ? "VIP" : "host", d.Owner, s.Verdict.Health, s.Verdict.Reason,
                s.Verdict.Message, Steps(d), d.LatencyMs.ToString("0", CultureInfo.InvariantCulture) + " ms",
                d.CertNotAfter is { } n ? n.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "—", d.At, s);
        }), r => r.Health, r => r.Target);

    /// <summary>"DNS ✓ TCP ✓ TLS ✗": the steps the scheme runs, passed up to the one that failed.</summary>
    private static string Steps(ProbeDetails d)
    {
        string[] steps = d.Scheme switch
        {
            "https" => [ProbeSteps.Dns, ProbeSteps.Tcp, ProbeSteps.Tls, ProbeSteps.Http],
            "http" => [ProbeSteps.Dns, ProbeSteps.Tcp, ProbeSteps.Http],
            _ => [ProbeSteps.Dns, ProbeSteps.Tcp],
        };
        if (d.Source == ProbeSources.Vip) steps = steps[1..]; // an address needs no lookup
        var failedAt = d.FailedStep is { } f ? Array.IndexOf(steps, f) : -1;
        return string.Join(" ", steps.Select((s, i) =>
            $"{s.ToUpperInvariant()} {(failedAt < 0 || i < failedAt ? "✓" : i == failedAt ? "✗" : "–")}"));
    }
}
