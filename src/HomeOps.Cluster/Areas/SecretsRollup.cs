using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Areas;

/// <summary>
/// The secrets area (cluster brief §10.11): the worst of the ClusterSecretStores and ExternalSecrets; the count is synced
/// ExternalSecrets out of all; <see cref="Risk"/> names the Kustomizations a failing <c>onepassword-connect</c> store puts at risk.
/// </summary>
public sealed record SecretsRollup(HealthStatus Health, int Synced, int ExternalSecrets, SecretsRiskReport Risk, Freshness Freshness) : IAreaRollup
{
    public string Area => nameof(Model.Area.Secrets);

    public int Ok => Synced;

    public int Total => ExternalSecrets;

    public string Count => $"{Synced}/{ExternalSecrets}";

    public string CountLabel => "ExternalSecrets synced";

    public bool? StoreHealthy => Risk.StoreHealthy;

    public int AtRisk => Risk.AtRisk.Length;

    internal static SecretsRollup Compute(ClusterState state)
    {
        var secrets = state.Items(Kinds.ExternalSecret).ToList();
        var healths = state.Items(Kinds.ClusterSecretStore).Concat(secrets).Concat(AreaWorkloads.Of(state, Model.Area.Secrets))
            .Select(i => i.Verdict.Health);
        return new SecretsRollup(
            AreaFreshness.HasData(state, Model.Area.Secrets) ? HealthOrder.Worst(healths) : HealthStatus.Unknown,
            secrets.Count(s => s.Verdict.Health == HealthStatus.Healthy),
            secrets.Count,
            SecretsRisk.Evaluate(state),
            AreaFreshness.Of(state, Model.Area.Secrets));
    }
}
