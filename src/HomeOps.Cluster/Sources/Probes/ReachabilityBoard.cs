using System.Collections.Immutable;

namespace HomeOps.Cluster.Sources.Probes;

/// <summary>One probe of one Service's LoadBalancer address. <see cref="Address"/> is null when the Service had none to probe.</summary>
public sealed record ReachabilityRecord(string Namespace, string Service, string? Address, int Port, bool Reachable, string Detail, DateTimeOffset At);

/// <summary>
/// The latest reachability probe per Service, written by <see cref="IngressVipProbe"/> and read by the gates and
/// views. Probe results are not Kubernetes objects, so they live next to the store rather than in a kind slice.
/// </summary>
public sealed class ReachabilityBoard
{
    private ImmutableDictionary<string, ReachabilityRecord> _latest = ImmutableDictionary<string, ReachabilityRecord>.Empty;

    public ReachabilityBoard(IngressVipProbeOptions? options = null) => Options = options ?? new IngressVipProbeOptions();

    public IngressVipProbeOptions Options { get; }

    public void Record(ReachabilityRecord record) =>
        ImmutableInterlocked.Update(ref _latest, d => d.SetItem(Key(record.Namespace, record.Service), record));

    public ReachabilityRecord? Latest(string @namespace, string service) => _latest.GetValueOrDefault(Key(@namespace, service));

    private static string Key(string ns, string name) => ns + "/" + name;
}
