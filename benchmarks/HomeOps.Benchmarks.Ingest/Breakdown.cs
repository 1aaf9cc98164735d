using System.Diagnostics;
using System.Text.Json;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Benchmarks.Ingest;

/// <summary>
/// <c>--breakdown</c>: where an event's time and bytes go, stage by stage (line read, decode + rule, reducer), so a
/// miss can be explained with evidence rather than guessed at. Stopwatch-based, like the smoke run.
/// </summary>
public static class Breakdown
{
    private static long _exceptions;

    public static void Run(TextWriter log)
    {
        // An exception thrown and caught inside a decoder costs more than the whole decode: count them.
        AppDomain.CurrentDomain.FirstChanceException += (_, _) => Interlocked.Increment(ref _exceptions);
        var warm = Warmup.UntilJitSettles();
        log.WriteLine($"(warm-up until the JIT settled: {warm.TotalSeconds:N1} s)");
        log.WriteLine($"({ThreadClock.Kind})");
        log.WriteLine($"{"kind",-15} {"stage",-28} {"ns/event",10} {"B/event",10}");
        var order = Environment.GetEnvironmentVariable("BREAKDOWN_KINDS")?.Split(',') ?? [.. Workload.KindsByName.Keys];
        foreach (var name in order)
        {
            var workload = Workload.Create(name, Scenarios.StoreObjects);
            var kind = workload.Kind;
            var lines = workload.Lines;
            var parsed = lines.Select(IngestPath.ReadLineWithKubernetesClient).ToArray();
            var now = DateTimeOffset.UtcNow;
            var decoded = parsed.Select(p => ResourceDecoder.Decode(kind, p.Object, now)).ToArray();
            var store = Scenarios.PopulatedStore(workload);
            log.WriteLine($"{name,-15} verdict of the workload's objects: {decoded[0].Verdict.Health} {decoded[0].Verdict.Reason}");
            var i = 0;
            Stage(log, name, "line read (KubernetesClient)", 1, () => IngestPath.ReadLineWithKubernetesClient(lines[i++ % lines.Length]));
            Stage(log, name, "line read+decode (WatchLines)", 1, () => IngestPath.ReadLine(kind, lines[i++ % lines.Length], now));
            // The informer's path: the store holds the previous version of every object, whose unchanged parts are reused.
            var held = store.Value.Slice(kind).Items;
            Stage(log, name, "line read+decode, held", 1, () => IngestPath.ReadLine(kind, lines[i++ % lines.Length], now, held));
            Stage(log, name, "decode + health rule", 1, () => ResourceDecoder.Decode(kind, parsed[i++ % parsed.Length].Object, now));
            if (Environment.GetEnvironmentVariable("BREAKDOWN_DECODE") == "1")
            {
                Stage(log, name, "  meta", 1, () => ObjectParts.Meta(parsed[i++ % parsed.Length].Object));
                Stage(log, name, "  conditions", 1, () => ObjectParts.Conditions(ObjectParts.Status(parsed[i++ % parsed.Length].Object)));
                Stage(log, name, "  raw status", 1, () => ObjectParts.RawStatus(parsed[i++ % parsed.Length].Object));
                string[] names = ["state", "robustness", "actualSize", "currentNodeID", "lastBackup", "lastBackupAt", "lastDegradedAt", "kubernetesStatus", "conditions", "nodeInfo", "capacity", "addresses", "observedGeneration", "lastAppliedRevision", "history"];
                Stage(log, name, "  15 status lookups", 1, () =>
                {
                    var st = parsed[i++ % parsed.Length].Object.GetProperty("status");
                    foreach (var n in names) st.TryGetProperty(n, out _);
                });
                Stage(log, name, "  IsTracked", 1, () => ResourceDecoder.IsTracked(kind, parsed[i++ % parsed.Length].Object));
                Stage(log, name, "  kind.Key", 1, () => { _ = kind.Key; });
            }
            // Two decodes of every object (distinct instances), alternated: each batch really replaces what the store holds.
            var again = parsed.Select(p => ResourceDecoder.Decode(kind, p.Object, now)).ToArray();
            var batches = Enumerable.Range(0, decoded.Length / Scenarios.Batch)
                .SelectMany(b => new[] { decoded, again }.Select(set => new ResourcesChanged(kind, set.Skip(b * Scenarios.Batch).Take(Scenarios.Batch).ToArray(), [], now)))
                .ToArray();
            Stage(log, name, $"reducer (batch of {Scenarios.Batch})", Scenarios.Batch, () => store.Dispatch(batches[i++ % batches.Length]));
            var single = decoded.Zip(again).SelectMany(d => new[] { new ResourcesChanged(kind, [d.First], [], now), new ResourcesChanged(kind, [d.Second], [], now) }).ToArray();
            Stage(log, name, "reducer (batch of 1)", 1, () => store.Dispatch(single[i++ % single.Length]));
        }
        Relist(log);
    }

    /// <summary>The re-list of <see cref="Scenarios.RelistObjects"/> objects, split the same way.</summary>
    private static void Relist(TextWriter log)
    {
        var kind = Workload.KindsByName[Scenarios.RelistKind];
        var pages = Workload.Create(Scenarios.RelistKind, Scenarios.RelistObjects, 3).ListPages;
        var store = new ClusterStore();
        new IngestPath(kind, store).IngestList(Workload.Create(Scenarios.RelistKind, Scenarios.RelistObjects, 4).ListPages);
        var held = store.Value.Slice(kind).Items;
        var now = DateTimeOffset.UtcNow;
        // As the informer parses a list page (ListPage): one JsonDocument with its own depth limit. Not disposed here, so
        // that the items stay readable for the stages below.
        JsonElement Parse(byte[] body) => JsonDocument.Parse((ReadOnlyMemory<byte>)body, Cluster.Sources.InformerJson.Document).RootElement;
        var items = pages.SelectMany(p => Parse(p).GetProperty("items").EnumerateArray()).ToArray();
        var decoded = items.Select(i => ResourceDecoder.Decode(kind, i, now)).ToArray();
        var n = Scenarios.RelistObjects;
        log.WriteLine($"re-list of {n:N0} ({pages.Sum(p => p.Length) / 1048576.0:N1} MiB of JSON in {pages.Length} pages), per object:");
        Stage(log, Scenarios.RelistKind, "list page parse (informer)", n, () => { foreach (var p in pages) Parse(p); });
        Stage(log, Scenarios.RelistKind, "decode, nothing held", n, () => { foreach (var i in items) ResourceDecoder.Decode(kind, i, now); });
        Stage(log, Scenarios.RelistKind, "decode, previous held", n, () => { foreach (var i in items) Cluster.Sources.WatchItem.Decode(kind, i, now, held); });
        var replaced = new ResourcesReplaced(kind, decoded, now);
        var other = new ResourcesReplaced(kind, [.. held.Values], now);
        var flip = false;
        Stage(log, Scenarios.RelistKind, "reducer (ResourcesReplaced)", n, () => store.Dispatch((flip = !flip) ? replaced : other));
    }

    private static void Stage(TextWriter log, string kind, string stage, int eventsPerCall, Action call)
    {
        var sw = Stopwatch.StartNew();
        do call(); while (sw.ElapsedMilliseconds < 150);
        var before = GC.GetAllocatedBytesForCurrentThread();
        sw.Restart();
        var cpu = ThreadClock.Now();
        long n = 0;
        do
        {
            call();
            n++;
        }
        while (sw.ElapsedMilliseconds < 300);
        var elapsed = ThreadClock.Now() - cpu;
        var exceptions = Interlocked.Exchange(ref _exceptions, 0);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var events = (double)n * eventsPerCall;
        log.WriteLine($"{kind,-15} {stage,-28} {elapsed.TotalNanoseconds / events,10:N0} {allocated / events,10:N0}" +
            (exceptions > 0 ? $"  ({exceptions / events:N1} exceptions/event)" : ""));
    }
}
