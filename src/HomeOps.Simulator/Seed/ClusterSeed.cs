using System.Text.Json.Nodes;

namespace HomeOps.Simulator.Seed;

/// <summary>The built-in starting state: the home-ops cluster as the cluster brief describes it, healthy.</summary>
public static class ClusterSeed
{
    public static IReadOnlyList<JsonObject> Build(DateTimeOffset now)
    {
        var clock = new SeedClock(now);
        return
        [
            .. NodeSeed.Build(clock),
            .. FluxSeed.Build(clock),
            .. LonghornSeed.Build(clock),
            .. BgpSeed.Build(clock),
            .. ServiceSeed.Build(clock),
            .. IngressSeed.Build(clock),
            .. SecretsSeed.Build(clock),
            .. CertificateSeed.Build(clock),
            .. WorkloadSeed.Build(clock),
        ];
    }
}
