namespace HomeOps.Benchmarks.Live.Harness;

/// <summary>Server-side figures of one run, each from the simulator's write: ready in the store, sent on every
/// circuit, sent on the last circuit, and the floor (the hub message, the same push path without rendering).</summary>
public sealed record ServerSamples(LatencySamples Ready, LatencySamples EveryCircuit, LatencySamples LastCircuit, LatencySamples Hub, int Circuits);

/// <summary>
/// Matches probe writes to the dashboard's <see cref="LiveTraceSession"/> points with the rule of
/// <see cref="LatencyMatcher"/>, on resource versions instead of sequence numbers: a write of version r of kind K
/// counts as ready / sent on a viewer at the earliest point of K with a version ≥ r there (a kind's watch delivers in
/// version order, so that point's state carries r). A viewer that never sent it within the grace period missed it.
/// </summary>
public static class ServerTrace
{
    public static ServerSamples Match(IReadOnlyList<ProbeWrite> writes, IEnumerable<TracePoint> points, string kind)
    {
        var ofKind = points.Where(p => p.Kind == kind && p.ResourceVersion >= 0).ToList();
        var ready = Earliest(writes, ofKind.Where(p => p.IsReady));
        var hub = Earliest(writes, ofKind.Where(p => p.IsHub));
        var circuits = ofKind.Where(p => !p.IsReady && !p.IsHub).GroupBy(p => p.Viewer).Select(g => Earliest(writes, g)).ToList();

        var every = new List<double>();
        var everyMissed = 0;
        var last = new List<double>();
        var lastMissed = 0;
        for (var i = 0; i < writes.Count; i++)
        {
            double? latest = circuits.Count == 0 ? null : double.MinValue;
            foreach (var c in circuits)
            {
                if (c[i] is { } at) every.Add(Math.Max(0, at - writes[i].WrittenAt));
                else everyMissed++;
                latest = latest is { } l && c[i] is { } a ? Math.Max(l, a) : null;
            }
            if (latest is { } t) last.Add(Math.Max(0, t - writes[i].WrittenAt));
            else lastMissed++;
        }
        return new ServerSamples(Samples(writes, ready), new LatencySamples(every, everyMissed, writes.Count * circuits.Count),
            new LatencySamples(last, lastMissed, writes.Count), Samples(writes, hub), circuits.Count);
    }

    /// <summary>For each write, the earliest time of a point with a version ≥ the write's, or null.</summary>
    public static double?[] Earliest(IReadOnlyList<ProbeWrite> writes, IEnumerable<TracePoint> points)
    {
        var sorted = points.OrderBy(p => p.ResourceVersion).ToArray();
        var suffixMin = new double[sorted.Length];
        for (var i = sorted.Length - 1; i >= 0; i--)
            suffixMin[i] = i == sorted.Length - 1 ? sorted[i].At : Math.Min(sorted[i].At, suffixMin[i + 1]);
        var result = new double?[writes.Count];
        for (var w = 0; w < writes.Count; w++)
        {
            int lo = 0, hi = sorted.Length;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (sorted[mid].ResourceVersion < writes[w].ResourceVersion) lo = mid + 1; else hi = mid;
            }
            result[w] = lo < sorted.Length ? suffixMin[lo] : null;
        }
        return result;
    }

    private static LatencySamples Samples(IReadOnlyList<ProbeWrite> writes, double?[] at)
    {
        var ms = new List<double>(writes.Count);
        var missed = 0;
        for (var i = 0; i < writes.Count; i++)
            if (at[i] is { } t) ms.Add(Math.Max(0, t - writes[i].WrittenAt));
            else missed++;
        return new LatencySamples(ms, missed, writes.Count);
    }
}
