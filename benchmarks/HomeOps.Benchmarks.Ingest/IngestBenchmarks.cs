using BenchmarkDotNet.Attributes;
using HomeOps.Cluster.State;

namespace HomeOps.Benchmarks.Ingest;

/// <summary>Watch events per second, per kind: line bytes → decode → health rule → batch → reducer, one thread.</summary>
[MemoryDiagnoser]
public class WatchEventIngest
{
    private IngestPath _path = null!;
    private Workload _workload = null!;
    private int _offset;

    [Params("Node", "LonghornVolume", "Kustomization", "HelmRelease", "Pod", "Event")]
    public string Kind { get; set; } = "Node";

    [GlobalSetup]
    public void Setup()
    {
        _workload = Workload.Create(Kind, Scenarios.StoreObjects);
        _path = new IngestPath(_workload.Kind, Scenarios.PopulatedStore(_workload));
    }

    /// <summary>One informer batch of <see cref="Scenarios.Batch"/> MODIFIED events; reported per event.</summary>
    [Benchmark(OperationsPerInvoke = Scenarios.Batch)]
    public int Events()
    {
        var n = _path.IngestBatch(_workload.Lines, _offset, Scenarios.Batch);
        _offset = (_offset + Scenarios.Batch) % _workload.Lines.Length;
        return n;
    }
}

/// <summary>A re-list of 5,000 objects settling in the store: from decoded objects, and from the list response bytes.</summary>
[MemoryDiagnoser]
public class Relist
{
    private ClusterStore _store = null!;
    private ResourcesReplaced _a = null!, _b = null!;
    private IngestPath _path = null!;
    private byte[][] _listA = null!, _listB = null!;
    private bool _flip, _flipList;

    [GlobalSetup]
    public void Setup()
    {
        var kind = Workload.KindsByName[Scenarios.RelistKind];
        (_a, _b) = Scenarios.RelistPair(kind);
        _store = new ClusterStore();
        _store.Dispatch(_a);
        _listA = Workload.Create(Scenarios.RelistKind, Scenarios.RelistObjects, generation: 3).ListPages;
        _listB = Workload.Create(Scenarios.RelistKind, Scenarios.RelistObjects, generation: 4).ListPages;
        _path = new IngestPath(kind, new ClusterStore());
        _path.IngestList(_listA);
    }

    /// <summary><c>ResourcesReplaced</c> of 5,000 decoded objects, every one at a new resourceVersion (the reducer alone).</summary>
    [Benchmark]
    public long ReplaceDecoded()
    {
        _flip = !_flip;
        _store.Dispatch(_flip ? _b : _a);
        return _store.Value.Version;
    }

    /// <summary>
    /// The 5,000-object list (10 responses of 500, as the informer pages it) → KubernetesClient's parse → decode + rules
    /// → <c>ResourcesReplaced</c> (the whole re-list after a 410), into a store holding the same objects at other versions.
    /// </summary>
    [Benchmark]
    public int ListJsonToStore()
    {
        _flipList = !_flipList;
        return _path.IngestList(_flipList ? _listB : _listA);
    }
}
