using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources;
using HomeOps.Cluster.State;
using HomeOps.Simulator;
using HomeOps.Simulator.Authentik;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HomeOps.Cluster.Tests.Sources;

/// <summary>
/// The Authentik poller as the dashboard wires it, against the simulator's Authentik API over HTTPS — whose certificate
/// a private CA signed, like home-ops' selfsigned-issuer — with and without the CA bundle, and with an expired token.
/// </summary>
public sealed class AuthentikRealApiTests
{
    private sealed class Rig : IAsyncDisposable
    {
        public required SimulatorHost Simulator { get; init; }
        public required ServiceProvider Services { get; init; }
        public string? Bundle { get; init; }
        public AuthentikPoller Poller => Services.GetRequiredService<AuthentikPoller>();
        public ClusterStore Store => Services.GetRequiredService<ClusterStore>();
        public Freshness Outposts => Store.Value.Slice(Kinds.AuthentikOutpost).Freshness;

        public ResourceSnapshot Outpost(string pk) => Store.Value.Items(Kinds.AuthentikOutpost).Single(o => o.Meta.Uid == pk);

        /// <param name="https">Poll the simulator's HTTPS endpoint (the kubeconfig's) instead of plain HTTP.</param>
        /// <param name="withBundle">Configure Authentik:CaBundlePath with the simulator's CA.</param>
        public static async Task<Rig> StartAsync(bool https, bool withBundle)
        {
            var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Scenarios = { Enabled = false } },
                cancellationToken: TestContext.Current.CancellationToken);
            string? bundle = null;
            if (withBundle)
            {
                bundle = Path.Combine(Path.GetTempPath(), $"homeops-authentik-ca-{Guid.NewGuid():N}.pem");
                await File.WriteAllTextAsync(bundle, simulator.CertificateAuthorityPem, TestContext.Current.CancellationToken);
            }
            var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Cluster:Mode"] = "Simulator",
                ["Cluster:Kubeconfig"] = simulator.KubeconfigPath,
                ["Authentik:BaseUrl"] = (https ? simulator.KubernetesUri : simulator.AuthentikBaseUri).ToString(),
                ["Authentik:Token"] = simulator.AuthentikToken,
                ["Authentik:CaBundlePath"] = bundle ?? "",
            }).Build();
            var services = new ServiceCollection().AddLogging().AddClusterSources(config).BuildServiceProvider();
            return new Rig { Simulator = simulator, Services = services, Bundle = bundle };
        }

        public async ValueTask DisposeAsync()
        {
            await Services.DisposeAsync();
            await Simulator.DisposeAsync();
            if (Bundle is not null) File.Delete(Bundle);
        }
    }

    [Fact]
    public async Task Over_HTTPS_a_self_signed_certificate_is_refused_without_the_CA_bundle_with_a_clear_message()
    {
        await using var rig = await Rig.StartAsync(https: true, withBundle: false);

        Assert.False(await rig.Poller.PollOnceAsync(TestContext.Current.CancellationToken));

        Assert.Equal(FeedState.Error, rig.Outposts.State);
        Assert.Equal(AuthentikPoller.CertificateNotTrusted, rig.Outposts.LastError);
        Assert.Contains("Authentik:CaBundlePath", rig.Outposts.LastError);
        Assert.Empty(rig.Store.Value.Items(Kinds.AuthentikOutpost));
    }

    [Fact]
    public async Task Over_HTTPS_with_the_CA_bundle_outposts_health_and_tokens_are_read()
    {
        await using var rig = await Rig.StartAsync(https: true, withBundle: true);

        Assert.True(await rig.Poller.PollOnceAsync(TestContext.Current.CancellationToken));

        Assert.Equal(FeedState.Live, rig.Outposts.State);
        // Cluster brief §6.2/§10.10: the external proxy outpost carries the providers and reports instances; the embedded one carries none.
        var external = rig.Outpost(AuthentikState.ExternalOutpostId);
        var externalDetails = Assert.IsType<AuthentikOutpostDetails>(external.Details);
        Assert.NotEmpty(externalDetails.Providers);
        Assert.NotEmpty(externalDetails.Instances);
        Assert.NotNull(externalDetails.LastSeen);
        Assert.True(DateTimeOffset.UtcNow - externalDetails.LastSeen < AuthentikDecoder.StaleAfter, "last_seen is recent");
        Assert.Equal(HealthStatus.Healthy, external.Verdict.Health);
        var embedded = Assert.IsType<AuthentikOutpostDetails>(rig.Outpost(AuthentikState.EmbeddedOutpostId).Details);
        Assert.True(embedded.Embedded);
        Assert.Empty(embedded.Providers);
        var token = rig.Store.Value.Items(Kinds.AuthentikToken).Single(t => t.Meta.Name == AuthentikState.DashboardTokenIdentifier);
        Assert.IsType<AuthentikTokenDetails>(token.Details);
        Assert.NotEqual(HealthStatus.Failed, token.Verdict.Health);
    }

    [Fact]
    public async Task The_provider_assignment_rule_and_version_drift_follow_the_real_API()
    {
        await using var rig = await Rig.StartAsync(https: false, withBundle: false);
        Assert.True(await rig.Poller.PollOnceAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HealthStatus.Healthy, rig.Outpost(AuthentikState.ExternalOutpostId).Verdict.Health);

        // The external outpost stops reporting (its pods are gone): no instance → Failed.
        rig.Simulator.Authentik.SetSilent(AuthentikState.ExternalOutpostId, true);
        Assert.True(await rig.Poller.PollOnceAsync(TestContext.Current.CancellationToken));
        Assert.Equal((HealthStatus.Failed, "NoInstanceReporting"),
            (rig.Outpost(AuthentikState.ExternalOutpostId).Verdict.Health, rig.Outpost(AuthentikState.ExternalOutpostId).Verdict.Reason));
    }

    [Fact]
    public async Task An_expired_API_token_is_a_clear_401_message_and_its_expiry_shows_once_rotated()
    {
        await using var rig = await Rig.StartAsync(https: false, withBundle: false);
        rig.Simulator.Authentik.SetTokenExpiry(AuthentikState.AdminTokenIdentifier, DateTimeOffset.UtcNow.AddMinutes(-1));

        Assert.False(await rig.Poller.PollOnceAsync(TestContext.Current.CancellationToken));
        Assert.Equal(AuthentikPoller.TokenRejected, rig.Outposts.LastError);
        Assert.Contains("expired", rig.Outposts.LastError);
        Assert.DoesNotContain(rig.Simulator.AuthentikToken, rig.Outposts.Describe(DateTimeOffset.UtcNow));

        // Rotated with 5 days left: accepted again, and /core/tokens/ shows the expiry as a warning.
        rig.Simulator.Authentik.SetTokenExpiry(AuthentikState.AdminTokenIdentifier, DateTimeOffset.UtcNow.AddDays(5));
        Assert.True(await rig.Poller.PollOnceAsync(TestContext.Current.CancellationToken));
        var admin = rig.Store.Value.Items(Kinds.AuthentikToken).Single(t => t.Meta.Name == AuthentikState.AdminTokenIdentifier);
        Assert.Equal((HealthStatus.Degraded, "ExpiringSoon"), (admin.Verdict.Health, admin.Verdict.Reason));
    }
}
