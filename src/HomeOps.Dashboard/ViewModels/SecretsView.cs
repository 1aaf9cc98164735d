using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Dashboard.ViewModels;

public sealed record SecretStoreRow(
    string Key,
    string Name,
    HealthStatus Health,
    string Reason,
    string Message,
    string Provider,
    string Endpoint,
    string Vaults,
    ResourceSnapshot Resource)
{
    public string TestId => RowIds.For(Kinds.ClusterSecretStore, Name);
}

public sealed record ExternalSecretRow(
    string Key,
    string Namespace,
    string Name,
    HealthStatus Health,
    string Reason,
    string Message,
    string Store,
    string TargetSecret,
    string RefreshInterval,
    DateTimeOffset? RefreshTime,
    ResourceSnapshot Resource)
{
    public string TestId => RowIds.For(Kinds.ExternalSecret, $"{Namespace}-{Name}");
}

public sealed record AtRiskRow(string Name, HealthStatus CurrentHealth, string Chain, string Reason)
{
    public string TestId => RowIds.For("atrisk", Name);
}

/// <summary>The secrets tile and page: the Cluster rollup (health, counts, the store's risk report), the store row and the ExternalSecrets with a problem.</summary>
public sealed record SecretsSummary(SecretsRollup Rollup, SecretStoreRow? Store, IReadOnlyList<ExternalSecretRow> Problems)
{
    public HealthStatus Health => Rollup.Health;

    public int Synced => Rollup.Synced;

    public int ExternalSecrets => Rollup.ExternalSecrets;

    public bool? StoreHealthy => Rollup.StoreHealthy;

    public int AtRisk => Rollup.AtRisk;

    public SecretsRiskReport Risk => Rollup.Risk;

    public Freshness Freshness => Rollup.Freshness;

    public string Count => Rollup.Count;
}

/// <summary>
/// Secrets area (cluster brief §10.11): the <c>onepassword-connect</c> ClusterSecretStore, every ExternalSecret's sync
/// state, and — when the store fails — the Kustomizations that depend on it, marked at risk before Flux reports them.
/// </summary>
public static class SecretsView
{
    public static IReadOnlyList<SecretStoreRow> Stores(ClusterState state) =>
        HealthOrder.WorstFirst(state.Items(Kinds.ClusterSecretStore).Select(s =>
        {
            var d = s.Details as SecretStoreDetails;
            return new SecretStoreRow(s.Key, s.Meta.Name, s.Verdict.Health, s.Verdict.Reason, s.Verdict.Message,
                d?.Provider ?? "", d?.Endpoint ?? "", d is null ? "" : string.Join(", ", d.Vaults), s);
        }), r => r.Health, r => r.Name);

    public static IReadOnlyList<ExternalSecretRow> ExternalSecrets(ClusterState state) =>
        HealthOrder.WorstFirst(state.Items(Kinds.ExternalSecret).Select(e =>
        {
            var d = e.Details as ExternalSecretDetails;
            return new ExternalSecretRow(e.Key, e.Meta.Namespace ?? "", e.Meta.Name, e.Verdict.Health, e.Verdict.Reason, e.Verdict.Message,
                d is null ? "" : $"{d.StoreKind}/{d.StoreName}", d?.TargetSecret ?? "", d?.RefreshInterval ?? "", d?.RefreshTime, e);
        }), r => r.Health, r => $"{r.Namespace}/{r.Name}");

    public static IReadOnlyList<AtRiskRow> AtRisk(SecretsRiskReport report) =>
        [.. report.AtRisk.Select(r => new AtRiskRow(r.Kustomization.Name, r.CurrentHealth,
            string.Join(" → ", r.Path.Select(p => p.Name)), r.Reason))];

    public static SecretsSummary Summarize(ClusterState state)
    {
        var stores = Stores(state);
        var store = stores.FirstOrDefault(s => s.Name == SecretsRisk.StoreName) ?? stores.FirstOrDefault();
        return new SecretsSummary(AreaRollups.Secrets(state), store, ExternalSecrets(state).Where(s => HealthOrder.IsProblem(s.Health)).ToList());
    }
}
