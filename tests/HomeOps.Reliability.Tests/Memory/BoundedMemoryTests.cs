using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using HomeOps.Reliability.Tests.Support;

namespace HomeOps.Reliability.Tests.Memory;

/// <summary>Runs alone: it measures the whole process's managed heap.</summary>
[CollectionDefinition(nameof(MemoryCollection), DisableParallelization = true)]
public sealed class MemoryCollection;

/// <summary>
/// A long, accelerated run of changes through the real informers while viewers come and go (coalesced subscriptions
/// attached, some paused like a hidden tab, then disposed), round after round. After a warm-up: the store holds exactly
/// the simulator's objects, the subscriber count is back to its baseline after every round, no delivered change set is
/// larger than the objects that existed during its window, and the managed heap after a forced GC shows no growth trend.
/// </summary>
[Collection(nameof(MemoryCollection))]
public sealed class BoundedMemoryTests
{
    /// <summary>60 in CI; <c>HOMEOPS_MEMORY_ROUNDS</c> for a longer run.</summary>
    private static readonly int Rounds =
        int.TryParse(Environment.GetEnvironmentVariable("HOMEOPS_MEMORY_ROUNDS"), out var rounds) && rounds > 20 ? rounds : 60;
    private const int WarmUpRounds = 10;
    private const int ViewersPerRound = 12;
    private const int CreatesPerRound = 20;
    private const int ModificationsPerRound = 150;
    private const long Slack = 5 * 1024 * 1024;

    private static readonly KindInfo[] Watched = [Kinds.Kustomization, Kinds.Node, Kinds.LonghornVolume];

    [Fact]
    public async Task Many_changes_and_viewers_coming_and_going_leave_no_leak()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var rig = await ReliabilityRig.StartAsync(Watched, quiet: true,
            // A short history: the simulator's own replay buffer must fill during the warm-up, not grow through the measurement.
            simulator: o => o.HistoryCapacity = 500);
        await rig.WaitUntilAsync(() => rig.LiveAndConverged(Watched), "live");
        var baseline = rig.Store.SubscriberCount;
        var random = new Random(20260704);
        var samples = new List<(int Round, long Bytes, int Objects, int Subscribers, int LargestBatch, int Bound)>();
        var writes = 0;

        for (var round = 0; round < Rounds; round++)
        {
            var objectsAtStart = Watched.Sum(k => rig.Simulator.Cluster.List(k).Items.Count);
            var bound = objectsAtStart + CreatesPerRound; // every object that can exist during the round
            var largest = 0;
            var delivered = new ConcurrentBag<int>();
            var viewers = Enumerable.Range(0, ViewersPerRound).Select(v =>
            {
                var subscription = rig.Store.SubscribeCoalesced((_, changes) =>
                {
                    delivered.Add(changes.ObjectCount);
                    return Task.CompletedTask;
                }, TimeSpan.FromMilliseconds(10 + v * 5));
                subscription.Paused = v % 3 == 0; // a hidden tab: changes pile up until it is shown again
                return subscription;
            }).ToList();

            var created = new List<(KindInfo Kind, string? Namespace, string Name)>();
            for (var i = 0; i < CreatesPerRound; i++)
            {
                var kind = Watched[random.Next(Watched.Length)];
                var template = rig.Simulator.Cluster.List(kind).Items[0];
                var copy = (JsonObject)template.DeepClone();
                var meta = (JsonObject)copy["metadata"]!;
                var name = $"mem-{round}-{i}";
                meta["name"] = name;
                meta.Remove("uid");
                meta.Remove("resourceVersion");
                rig.Simulator.Cluster.Upsert(copy);
                created.Add((kind, ClusterWriter.Namespace(copy), name));
                writes++;
            }
            for (var i = 0; i < ModificationsPerRound; i++)
            {
                var kind = Watched[random.Next(Watched.Length)];
                var items = rig.Simulator.Cluster.List(kind).Items;
                var target = items[random.Next(items.Count)];
                rig.Annotate(kind, ClusterWriter.Namespace(target), ClusterWriter.Name(target), $"{round}-{i}");
                writes++;
                if (i % 25 == 0) await Task.Yield();
            }
            foreach (var (kind, ns, name) in created)
            {
                rig.Simulator.Cluster.Delete(kind, ns, name);
                writes++;
            }

            await rig.WaitUntilAsync(() => rig.LiveAndConverged(Watched), $"round {round} converged");
            foreach (var viewer in viewers) viewer.Paused = false;
            await rig.WaitUntilAsync(() => viewers.All(v => v.BatchesDelivered > 0), $"round {round}: every viewer got its changes");
            foreach (var viewer in viewers) viewer.Dispose();
            largest = delivered.IsEmpty ? 0 : delivered.Max();

            var subscribers = rig.Store.SubscriberCount;
            var objects = rig.Store.Value.AllItems.Count();
            Assert.Equal(baseline, subscribers);
            Assert.Equal(Watched.Sum(k => rig.Simulator.Cluster.List(k).Items.Count), objects);
            Assert.True(largest <= bound, $"round {round}: a change set of {largest} keys, more than the {bound} objects that existed");
            samples.Add((round, HeapAfterFullCollection(), objects, subscribers, largest, bound));
            ct.ThrowIfCancellationRequested();
        }

        var csv = new StringBuilder("round,heap_bytes,objects,subscribers,largest_change_set,objects_bound\n");
        foreach (var s in samples) csv.AppendLine(CultureInfo.InvariantCulture, $"{s.Round},{s.Bytes},{s.Objects},{s.Subscribers},{s.LargestBatch},{s.Bound}");
        Artifacts.Write("memory-samples.csv", csv.ToString());

        var warm = samples.Skip(WarmUpRounds).ToList();
        var first = warm[0].Bytes;
        var last = warm[^1].Bytes;
        var limit = (long)(first * 1.5) + Slack;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{writes} writes, {Rounds} rounds x {ViewersPerRound} viewers; heap after warm-up {first / 1048576.0:0.0} MB -> {last / 1048576.0:0.0} MB (limit {limit / 1048576.0:0.0} MB); slope {Slope(warm):0} bytes/round");
        Assert.True(last <= limit, $"heap grew from {first} to {last} bytes after the warm-up (limit {limit})");
        // No steady climb either: the second half of the warm samples is not above the first half by more than the slack.
        var half = warm.Count / 2;
        Assert.True(warm.Skip(half).Average(s => s.Bytes) <= warm.Take(half).Average(s => s.Bytes) + Slack,
            $"heap trend: {string.Join(", ", warm.Select(s => s.Bytes / 1024))} KB");
    }

    private static long HeapAfterFullCollection()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static double Slope(IReadOnlyList<(int Round, long Bytes, int, int, int, int)> samples)
    {
        var n = samples.Count;
        var mx = samples.Average(s => (double)s.Round);
        var my = samples.Average(s => (double)s.Bytes);
        var num = samples.Sum(s => (s.Round - mx) * (s.Bytes - my));
        var den = samples.Sum(s => (s.Round - mx) * (s.Round - mx));
        return den == 0 ? 0 : num / den;
    }
}
