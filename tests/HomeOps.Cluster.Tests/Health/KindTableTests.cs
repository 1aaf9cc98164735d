using System.Text.Json;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Tests.Health;

/// <summary>
/// Every kind is registered in one place (<see cref="KindTable"/>): each row has versions, a decoder, a rule and an area,
/// the lists in <see cref="Kinds"/> come from it, and each decoder is the one for its kind (no arrays matched by position).
/// </summary>
public sealed class KindTableTests
{
    public static TheoryData<string> Keys() => [.. KindTable.Entries.Select(e => e.Kind.Key)];

    [Fact]
    public void EveryKindIsInTheTableOnce()
    {
        Assert.Equal(KindTable.Entries.Count, KindTable.Entries.Select(e => e.Kind.Key).Distinct().Count());
        Assert.Equal(KindTable.Entries.Select(e => e.Kind.Key), Kinds.All.Select(k => k.Key));
        Assert.Equal(Kinds.Watched.Count + Kinds.Polled.Count, Kinds.Kubernetes.Count);
        Assert.All(Kinds.Kubernetes, k => Assert.True(k.IsKubernetes, $"{k} is fed by the Authentik API, not Kubernetes"));
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void EveryRowHasVersionsADecoderARuleAndAnArea(string key)
    {
        var e = KindTable.FindByKey(key)!;
        Assert.True(Enum.IsDefined(e.Area), $"{key}: area {e.Area}");
        Assert.NotEmpty(e.Versions);
        Assert.Contains(e.Kind.Version, e.Versions);
        Assert.Equal(e.Versions, Kinds.PreferredVersions(e.Kind));
        Assert.Matches(@"^\w+\.\w+$", e.DecoderName);
        Assert.Matches(@"^\w+\.\w+$", e.Rule);
        // Kubernetes kinds are decoded from Kubernetes objects; Authentik kinds from the Authentik API by AuthentikDecoder;
        // observed kinds (probes, Prometheus) are built by their poller.
        if (e.Feed is KindFeed.Authentik or KindFeed.Observed) Assert.Null(e.Decode);
        else Assert.NotNull(e.Decode);
        Assert.Equal(e.Feed == KindFeed.Polled, Kinds.IsPolled(e.Kind));
    }

    /// <summary>
    /// A bare object of each Kubernetes kind, at every version it is read at, reaches that kind's decoder: the snapshot
    /// carries the kind and the details record its decoder fills (a decoder paired with the wrong kind fails here).
    /// </summary>
    [Theory]
    [MemberData(nameof(Keys))]
    public void EachKubernetesKindReachesItsOwnDecoderAtEveryVersion(string key)
    {
        var e = KindTable.FindByKey(key)!;
        if (e.Feed is KindFeed.Authentik or KindFeed.Observed) return; // not Kubernetes objects: ResourceDecoder does not read them
        foreach (var version in e.Versions)
        {
            var apiVersion = e.Kind.Group.Length == 0 ? version : $"{e.Kind.Group}/{version}";
            var obj = Json($$$"""{"apiVersion":"{{{apiVersion}}}","kind":"{{{e.Kind.Kind}}}","metadata":{"name":"x","namespace":"default"},"spec":{"type":"LoadBalancer"},"type":"Warning"}""");
            var snap = ResourceDecoder.TryDecode(obj, FixtureVerdictTable.Now);
            Assert.NotNull(snap);
            Assert.Equal(key, snap.Kind.Key);
            Assert.Equal(version, snap.Kind.Version);
            Assert.NotEqual("NotAKubernetesKind", snap.Verdict.Reason);
            Assert.IsType(ExpectedDetails[key], snap.Details);
        }
    }

    /// <summary>Every fixture of a kind in the verdict table decodes to that kind through the table's decoder.</summary>
    [Fact]
    public void EveryFixtureDecodesThroughItsKindsRow()
    {
        foreach (var row in FixtureVerdictTable.KubernetesObjects.Where(r => Fixtures.Exists(r.File)))
        {
            var doc = Fixtures.Load(row.File);
            var obj = row.Item is null ? doc : Fixtures.Objects(doc).Single(o => Fixtures.NameOf(o) == row.Item);
            var snap = ResourceDecoder.TryDecode(obj, FixtureVerdictTable.Now)!;
            Assert.Same(KindTable.Find(row.Kind), KindTable.Find(snap.Kind));
            Assert.IsType(ExpectedDetails[row.Kind.Key], snap.Details);
        }
    }

    [Fact]
    public void ResourceDecoderHoldsNoPositionalArrays()
    {
        var source = File.ReadAllText(Path.Combine(Fixtures.RepoRoot, "src", "HomeOps.Cluster", "Health", "ResourceDecoder.cs"));
        Assert.DoesNotContain(".Zip(", source);
        Assert.DoesNotContain("Func<KindInfo, JsonElement, ResourceSnapshot>[]", source);
    }

    /// <summary>The details record each decoder fills, written out independently of the table.</summary>
    private static readonly Dictionary<string, Type> ExpectedDetails = new()
    {
        [Kinds.Node.Key] = typeof(NodeDetails),
        [Kinds.Pod.Key] = typeof(PodDetails),
        [Kinds.Deployment.Key] = typeof(WorkloadDetails),
        [Kinds.DaemonSet.Key] = typeof(WorkloadDetails),
        [Kinds.StatefulSet.Key] = typeof(WorkloadDetails),
        [Kinds.Job.Key] = typeof(JobDetails),
        [Kinds.Event.Key] = typeof(EventDetails),
        [Kinds.GitRepository.Key] = typeof(GitRepositoryDetails),
        [Kinds.Kustomization.Key] = typeof(KustomizationDetails),
        [Kinds.HelmRelease.Key] = typeof(HelmReleaseDetails),
        [Kinds.LonghornVolume.Key] = typeof(LonghornVolumeDetails),
        [Kinds.LonghornNode.Key] = typeof(LonghornNodeDetails),
        [Kinds.LonghornBackup.Key] = typeof(LonghornBackupDetails),
        [Kinds.LonghornBackupTarget.Key] = typeof(LonghornBackupTargetDetails),
        [Kinds.LonghornRecurringJob.Key] = typeof(LonghornRecurringJobDetails),
        [Kinds.BgpPeeringPolicy.Key] = typeof(BgpDetails),
        [Kinds.BgpNodeConfig.Key] = typeof(BgpDetails),
        [Kinds.BgpClusterConfig.Key] = typeof(BgpDetails),
        [Kinds.BgpPeerConfig.Key] = typeof(BgpDetails),
        [Kinds.BgpAdvertisement.Key] = typeof(BgpDetails),
        [Kinds.LoadBalancerIPPool.Key] = typeof(IpPoolDetails),
        [Kinds.Service.Key] = typeof(ServiceDetails),
        [Kinds.Ingress.Key] = typeof(IngressDetails),
        [Kinds.ClusterSecretStore.Key] = typeof(SecretStoreDetails),
        [Kinds.ExternalSecret.Key] = typeof(ExternalSecretDetails),
        [Kinds.Certificate.Key] = typeof(CertificateDetails),
        [Kinds.NodeMetrics.Key] = typeof(NodeMetricsDetails),
    };

    private static JsonElement Json(string s)
    {
        using var d = JsonDocument.Parse(s);
        return d.RootElement.Clone();
    }
}
