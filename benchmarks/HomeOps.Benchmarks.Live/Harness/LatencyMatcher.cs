namespace HomeOps.Benchmarks.Live.Harness;

/// <summary>Latency samples of one page (or a set of pages) and the changes that never rendered.</summary>
public sealed record LatencySamples(List<double> Milliseconds, int Missed, int Writes);

/// <summary>
/// The matching rule: a write of sequence number s to probe p counts as rendered at the earliest time a page showed
/// p with any sequence number ≥ s. Coalescing may skip s when a later write to the same probe arrives within the
/// batch window; the page then shows the later value, which carries s's change too, so s renders at that time.
/// A write for which no such sighting exists by the end of the grace period is missed — a failure, not a gap.
/// </summary>
public static class LatencyMatcher
{
    public static LatencySamples Match(IReadOnlyList<ProbeWrite> writes, IReadOnlyList<ProbeSighting> sightings)
    {
        var samples = new List<double>(writes.Count);
        var missed = 0;
        foreach (var group in writes.GroupBy(w => w.Probe))
        {
            // Earliest sighting of seq ≥ s for each s: a suffix minimum over the sightings sorted by seq.
            var seen = sightings.Where(s => s.Probe == group.Key).OrderBy(s => s.Seq).ToArray();
            var suffixMin = new double[seen.Length];
            for (var i = seen.Length - 1; i >= 0; i--)
                suffixMin[i] = i == seen.Length - 1 ? seen[i].SeenAt : Math.Min(seen[i].SeenAt, suffixMin[i + 1]);
            foreach (var w in group)
            {
                var idx = LowerBound(seen, w.Seq);
                if (idx >= seen.Length) { missed++; continue; }
                samples.Add(Math.Max(0, suffixMin[idx] - w.WrittenAt));
            }
        }
        return new LatencySamples(samples, missed, writes.Count);
    }

    private static int LowerBound(ProbeSighting[] seen, long seq)
    {
        int lo = 0, hi = seen.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (seen[mid].Seq < seq) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}

public static class Percentiles
{
    /// <summary>Nearest-rank percentile; NaN for no samples.</summary>
    public static double Of(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.OrderBy(v => v).ToArray();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
