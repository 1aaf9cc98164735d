using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Benchmarks.Ingest;

/// <summary>
/// The measured scenarios, shared by the BenchmarkDotNet classes and the smoke run so both measure the same work.
/// </summary>
public static class Scenarios
{
    /// <summary>Objects of a kind held in the store while its watch events are measured (a large home cluster and then some).</summary>
    public const int StoreObjects = 1_000;

    /// <summary>Events per informer batch: <c>KindInformer.MaxBatch</c>, what a busy watch hands over at once.</summary>
    public const int Batch = 256;

    /// <summary>Objects in the re-list scenario (issue #6: "a re-list of 5,000 objects settles in under 100 ms").</summary>
    public const int RelistObjects = 5_000;

    /// <summary>The kind used for the re-list: Longhorn volumes are the kind a home cluster has thousands of.</summary>
    public const string RelistKind = "LonghornVolume";

    /// <summary>A store already holding the workload's objects (the steady state the watch events modify).</summary>
    public static ClusterStore PopulatedStore(Workload workload)
    {
        var store = new ClusterStore();
        new IngestPath(workload.Kind, store).IngestList(workload.ListPages);
        return store;
    }

    /// <summary>Two decoded lists of the same objects at different resourceVersions: alternating them re-lists every object as changed.</summary>
    public static (ResourcesReplaced A, ResourcesReplaced B) RelistPair(KindInfo kind)
    {
        ResourcesReplaced Decoded(int generation)
        {
            var workload = Workload.Create(RelistKind, RelistObjects, generation);
            var store = new ClusterStore();
            new IngestPath(kind, store).IngestList(workload.ListPages);
            return new ResourcesReplaced(kind, [.. store.Value.Items(kind)], DateTimeOffset.UtcNow);
        }
        return (Decoded(1), Decoded(2));
    }
}
