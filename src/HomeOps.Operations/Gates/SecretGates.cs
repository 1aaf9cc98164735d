using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Operations.Gates;

/// <summary>
/// <c>secret-store-ready {name}</c>: the ClusterSecretStore's verdict (computed once in HomeOps.Cluster's SecretsHealth)
/// is Healthy — Ready=True for the current generation. Phase 4 applies <c>onepassword-connect</c>; 22 of 31
/// Kustomizations depend on it.
/// </summary>
public sealed class SecretStoreReadyGate : IGate
{
    public string Name => "secret-store-ready";
    public string Description => "ClusterSecretStore {name} is Ready.";
    public IReadOnlyList<GateArgument> Arguments { get; } = [new("name", true, "ClusterSecretStore name")];

    public GateResult Evaluate(ClusterState state, IReadOnlyDictionary<string, string> args, DateTimeOffset now)
    {
        if (GateData.Staleness(state, now, Kinds.ClusterSecretStore) is { } stale) return GateResult.OnStaleData(stale);
        var name = args["name"];
        var store = state.Items(Kinds.ClusterSecretStore).FirstOrDefault(s => s.Meta.Name == name);
        if (store is null) return GateResult.Fail($"ClusterSecretStore {name} does not exist");
        var v = store.Verdict;
        var text = $"ClusterSecretStore {name}: {v.Health} ({v.Reason}){(v.Message.Length > 0 ? ": " + v.Message : "")}";
        return v.Health == HealthStatus.Healthy ? GateResult.Pass(text) : GateResult.Fail(text);
    }
}

/// <summary>
/// <c>external-secrets-synced</c>: every ExternalSecret's verdict is Healthy (Ready=True, SecretSynced). None existing is
/// a pass that says so: on a fresh cluster Flux creates them only in phases 5–6.
/// </summary>
public sealed class ExternalSecretsSyncedGate : IGate
{
    public string Name => "external-secrets-synced";
    public string Description => "Every ExternalSecret is synced (Ready=True).";
    public IReadOnlyList<GateArgument> Arguments { get; } = [];

    public GateResult Evaluate(ClusterState state, IReadOnlyDictionary<string, string> args, DateTimeOffset now)
    {
        if (GateData.Staleness(state, now, Kinds.ExternalSecret) is { } stale) return GateResult.OnStaleData(stale);
        var all = state.Items(Kinds.ExternalSecret).ToList();
        if (all.Count == 0) return GateResult.Pass("no ExternalSecret exists yet (Flux creates them in phases 5–6)");
        var notSynced = all.Where(e => e.Verdict.Health != HealthStatus.Healthy).Select(e => $"{e.Meta.DisplayName} ({e.Verdict.Reason})").ToList();
        var text = $"{all.Count - notSynced.Count} of {all.Count} ExternalSecrets synced" + (notSynced.Count > 0 ? $"; not synced: {GateData.List(notSynced)}" : "");
        return notSynced.Count == 0 ? GateResult.Pass(text) : GateResult.Fail(text);
    }
}
