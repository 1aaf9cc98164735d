using System.Diagnostics;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Store;

namespace HomeOps.Benchmarks.Live.Harness;

/// <summary>One simulator write of a probe: which probe, its sequence number, when it was written (epoch ms), and the
/// resource version the simulator gave it (how the dashboard's server-side trace names the change).</summary>
public readonly record struct ProbeWrite(int Probe, long Seq, double WrittenAt, long ResourceVersion = 0);

/// <summary>
/// Changes objects in the simulator's store at a steady rate: each tick performs every write that is due by now, so a
/// late wake-up catches up instead of lowering the rate. The write time is taken just before the store commits and
/// notifies its watches.
/// </summary>
public static class ChangeDriver
{
    /// <summary>Rotates writes over the probe Kustomizations, each carrying the next sequence number in its Ready message.</summary>
    public static async Task<IReadOnlyList<ProbeWrite>> RunProbesAsync(ClusterObjectStore store, int probes, double perSecond,
        TimeSpan duration, long firstSeq, CancellationToken ct = default)
    {
        var writes = new List<ProbeWrite>((int)(perSecond * duration.TotalSeconds) + 16);
        var seq = firstSeq;
        await RunAsync(perSecond, duration, i =>
        {
            var probe = (int)(i % probes);
            var s = seq++;
            var at = Clock.NowMs();
            var written = store.Update(Kinds.Kustomization, "flux-system", ClusterShape.ProbeName(probe),
                o => ClusterShape.SetReady(o, "False", "ReconciliationFailed", ClusterShape.ProbeMessage(probe, s)));
            long.TryParse((string?)written["metadata"]?["resourceVersion"], out var rv);
            writes.Add(new ProbeWrite(probe, s, at, rv));
        }, ct);
        return writes;
    }

    /// <summary>Changes each named Longhorn volume's actual size in turn, so that each changes <paramref name="perVolumePerSecond"/> times a second.</summary>
    public static Task<long> RunVolumesAsync(ClusterObjectStore store, IReadOnlyList<string> volumes, double perVolumePerSecond,
        TimeSpan duration, CancellationToken ct = default)
    {
        long count = 0;
        return RunAsync(volumes.Count * perVolumePerSecond, duration, i =>
        {
            var name = volumes[(int)(i % volumes.Count)];
            var round = i / volumes.Count;
            store.Update(Kinds.LonghornVolume, "longhorn-system", name, o =>
            {
                // Visible steps (a few percent of the size), as a volume filling up would show.
                var size = long.Parse((string?)o["spec"]?["size"] ?? "10737418240");
                o["status"]!["actualSize"] = size / 100 * (20 + round % 60);
            });
            count++;
        }, ct).ContinueWith(_ => count, ct);
    }

    private static async Task RunAsync(double perSecond, TimeSpan duration, Action<long> write, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        long done = 0;
        var total = (long)Math.Round(perSecond * duration.TotalSeconds);
        while (done < total && !ct.IsCancellationRequested)
        {
            var due = Math.Min(total, (long)(clock.Elapsed.TotalSeconds * perSecond) + 1);
            while (done < due) write(done++);
            var next = TimeSpan.FromSeconds(done / perSecond) - clock.Elapsed;
            if (next > TimeSpan.Zero) await Task.Delay(next, ct);
        }
    }
}
