using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Operations.Gates;

/// <summary><c>kustomization-ready {name, namespace=flux-system}</c>.</summary>
public sealed class KustomizationReadyGate : IGate
{
    public string Name => "kustomization-ready";
    public string Description => "Kustomization {namespace}/{name} is Ready (not suspended, status current).";
    public IReadOnlyList<GateArgument> Arguments { get; } =
        [new("name", true, "Kustomization name"), new("namespace", false, "namespace (default flux-system)")];

    public GateResult Evaluate(ClusterState state, IReadOnlyDictionary<string, string> args, DateTimeOffset now)
    {
        if (GateData.Staleness(state, now, Kinds.Kustomization) is { } stale) return GateResult.OnStaleData(stale);
        var ns = args.TryGetValue("namespace", out var n) ? n : "flux-system";
        var obj = GateData.FindNamespaced(state, Kinds.Kustomization, ns, args["name"]);
        if (obj is null) return GateResult.Fail($"Kustomization {ns}/{args["name"]} does not exist");
        var d = obj.Details as KustomizationDetails;
        return GateData.FluxReady(obj, d?.Suspended == true, d?.ObservedGeneration ?? 0);
    }
}

/// <summary><c>all-kustomizations-ready</c>: every Kustomization Ready; suspended ones are named but do not fail the gate.</summary>
public sealed class AllKustomizationsReadyGate : IGate
{
    public string Name => "all-kustomizations-ready";
    public string Description => "Every Kustomization is Ready (suspended ones are listed, not counted).";
    public IReadOnlyList<GateArgument> Arguments { get; } = [];

    public GateResult Evaluate(ClusterState state, IReadOnlyDictionary<string, string> args, DateTimeOffset now)
    {
        if (GateData.Staleness(state, now, Kinds.Kustomization) is { } stale) return GateResult.OnStaleData(stale);
        var all = state.Items(Kinds.Kustomization).OrderBy(k => k.Meta.DisplayName, StringComparer.Ordinal).ToList();
        if (all.Count == 0) return GateResult.Fail("no Kustomizations are known (Flux not installed yet?)");
        var suspended = new List<string>();
        var failing = new List<string>();
        var undecided = new List<string>();
        var ready = 0;
        foreach (var k in all)
        {
            var d = k.Details as KustomizationDetails;
            if (d?.Suspended == true) { suspended.Add(k.Meta.Name); continue; }
            var r = GateData.FluxReady(k, false, d?.ObservedGeneration ?? 0);
            switch (r.Outcome)
            {
                case GateOutcome.Passed: ready++; break;
                case GateOutcome.Unknown: undecided.Add(k.Meta.Name); break;
                default: failing.Add($"{k.Meta.Name} ({k.FindCondition("Ready")?.Reason ?? "no Ready"})"); break;
            }
        }
        var counted = all.Count - suspended.Count;
        var text = $"{ready} of {counted} Kustomizations Ready"
                   + (failing.Count > 0 ? $"; not Ready: {GateData.List(failing)}" : "")
                   + (undecided.Count > 0 ? $"; reconcile pending: {GateData.List(undecided)}" : "")
                   + (suspended.Count > 0 ? $"; suspended (not checked): {GateData.List(suspended)}" : "");
        if (failing.Count > 0) return GateResult.Fail(text);
        return undecided.Count > 0 ? GateResult.Undecided(text) : GateResult.Pass(text);
    }
}

/// <summary><c>helmrelease-ready {namespace, name}</c>.</summary>
public sealed class HelmReleaseReadyGate : IGate
{
    public string Name => "helmrelease-ready";
    public string Description => "HelmRelease {namespace}/{name} is Ready (not suspended, status current).";
    public IReadOnlyList<GateArgument> Arguments { get; } =
        [new("namespace", true, "namespace"), new("name", true, "HelmRelease name")];

    public GateResult Evaluate(ClusterState state, IReadOnlyDictionary<string, string> args, DateTimeOffset now)
    {
        if (GateData.Staleness(state, now, Kinds.HelmRelease) is { } stale) return GateResult.OnStaleData(stale);
        var obj = GateData.FindNamespaced(state, Kinds.HelmRelease, args["namespace"], args["name"]);
        if (obj is null) return GateResult.Fail($"HelmRelease {args["namespace"]}/{args["name"]} does not exist");
        var d = obj.Details as HelmReleaseDetails;
        if (obj.FindCondition("Stalled")?.IsTrue == true && d?.Suspended != true)
            return GateResult.Fail($"HelmRelease {obj.Meta.DisplayName} is Stalled: {obj.FindCondition("Stalled")!.Message}");
        return GateData.FluxReady(obj, d?.Suspended == true, d?.ObservedGeneration ?? 0);
    }
}
