using System.Collections.Immutable;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Tests.State;

/// <summary>Builds small snapshots for store tests (the decoders are tested elsewhere).</summary>
internal static class Snapshots
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static ResourceSnapshot Make(KindInfo kind, string uid, string resourceVersion, HealthStatus health = HealthStatus.Healthy, string? name = null) =>
        new(kind,
            new ObjectMeta(uid, name ?? $"obj-{uid}", kind.Namespaced ? "default" : null, resourceVersion, 1, T0, ObjectMeta.NoLabels, ObjectMeta.NoLabels),
            NoDetails.Instance,
            new Verdict(health, health.ToString(), ""),
            ImmutableArray<Condition>.Empty,
            "");
}
