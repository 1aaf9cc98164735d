using System.Text.Json;
using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Metrics;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources.Probes;
using HomeOps.Cluster.State;
using HomeOps.Simulator;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HomeOps.Cluster.Tests.Sources;

/// <summary>
/// The black-box probes of the network path against the simulator's real loopback listeners (one per LB-IPAM VIP):
/// every step runs for real (TCP connect, TLS handshake, HTTP status); the <c>vip-stops-answering</c> scenario closes
/// one listener while every Kubernetes object, BGP included, stays as it was — and the next round says so.
/// </summary>
public sealed class NetworkProbeTests : IAsyncLifetime
{
    private SimulatorHost _sim = null!;

    public async ValueTask InitializeAsync() =>
        _sim = await SimulatorHost.StartAsync(new SimulatorOptions { Scenarios = { Enabled = false } }, cancellationToken: TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _sim.DisposeAsync();

    private NetworkProbeOptions Options(params string[] hosts) => new()
    {
        Interval = TimeSpan.FromSeconds(2),
        Timeout = TimeSpan.FromSeconds(1.5),
        Redirects = [.. _sim.ProbeTargets.Redirects],
        Hosts = hosts,
        IngressHosts = false, // as the simulator sets it: its Ingress hosts do not resolve here
    };

    /// <summary>The store as the informers would fill it: every simulated object decoded, every Kubernetes feed live.</summary>
    private ClusterStore StoreFromSimulator()
    {
        var store = new ClusterStore();
        var now = DateTimeOffset.UtcNow;
        // Every kind the simulator serves (it serves no metrics.k8s.io list through the store).
        foreach (var kind in Kinds.Watched)
        {
            IReadOnlyList<System.Text.Json.Nodes.JsonObject> objects;
            try { objects = _sim.Cluster.List(kind).Items; }
            catch (HomeOps.Simulator.Store.ApiException) { continue; }
            var items = objects
                .Select(o => ResourceDecoder.TryDecode(JsonSerializer.SerializeToElement(o), now))
                .OfType<ResourceSnapshot>().ToList();
            store.Dispatch(new ResourcesReplaced(kind, items, now));
            store.Dispatch(new FreshnessChanged(kind, new Freshness(FeedState.Live, true, now, now, 0, null, now)));
        }
        return store;
    }

    private static NetworkProbe Probe(ClusterStore store, NetworkProbeOptions options) =>
        new(store, store, new NetworkProber(TimeProvider.System), Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System,
            NullLogger<NetworkProbe>.Instance);

    [Fact]
    public void The_simulator_serves_the_seeded_Ingresses_and_their_hosts_become_targets()
    {
        var store = StoreFromSimulator();
        var ingresses = store.Value.Items(Kinds.Ingress).ToList();
        Assert.Equal(["authentik/grafana-proxy", "authentik/longhorn-proxy", "kubernetes-dashboard/kubernetes-dashboard"],
            ingresses.Select(i => i.Meta.DisplayName).Order(StringComparer.Ordinal));
        Assert.All(ingresses, i => Assert.Equal(HealthStatus.Healthy, i.Verdict.Health));

        var targets = NetworkProbe.Targets(store.Value, new NetworkProbeOptions());
        Assert.Equal(["dashboard.k8s.home.geoffdavis.com", "grafana.k8s.home.geoffdavis.com", "longhorn.k8s.home.geoffdavis.com"],
            targets.Where(t => t.Source == ProbeSources.IngressHost).Select(t => t.Target).Order(StringComparer.Ordinal));
        Assert.All(targets.Where(t => t.Source == ProbeSources.IngressHost), t => Assert.Equal(("https", 443), (t.Scheme, t.Port)));
    }

    [Fact]
    public async Task Every_assigned_VIP_is_probed_on_its_web_port_and_answers_through_TCP_TLS_and_HTTP()
    {
        var store = StoreFromSimulator();
        var results = await Probe(store, Options()).ProbeRoundAsync(TestContext.Current.CancellationToken);

        // The four Services with an address; the pending one (no address) is not probed at a guessed address.
        Assert.Equal(["172.29.52.101:80", "172.29.52.103:9093", "172.29.52.200:443", "172.29.52.201:443"], results.Select(r => r.Target).Order());
        var ingress = results.Single(r => r.Target == "172.29.52.200:443");
        Assert.True(ingress.Answered, ingress.Detail);
        Assert.Equal(("https", 200, "ingress-nginx-internal/ingress-nginx-internal-controller"), (ingress.Scheme, ingress.HttpStatus, ingress.Owner));
        Assert.NotNull(ingress.CertNotAfter); // the served certificate's expiry is read from the handshake
        Assert.Null(ingress.TlsValid);        // a bare VIP: the handshake counts, the name is not judged
        Assert.Equal(200, results.Single(r => r.Target == "172.29.52.101:80").HttpStatus);

        var rollup = AreaRollups.NetworkPath(store.Value);
        Assert.Equal((HealthStatus.Healthy, "4/4"), (rollup.Health, rollup.Count));
        Assert.Null(rollup.Contradiction);
        Assert.True(rollup.Freshness.IsLive);
    }

    [Fact]
    public async Task A_VIP_that_stops_answering_is_Failed_at_the_next_round_while_BGP_and_the_Service_are_unchanged()
    {
        var store = StoreFromSimulator();
        var probe = Probe(store, Options());
        await probe.ProbeRoundAsync(TestContext.Current.CancellationToken);
        var bgpBefore = AreaRollups.Bgp(store.Value);

        var outcome = _sim.Scenarios.Trigger("vip-stops-answering");
        Assert.Empty(outcome.Touched); // no Kubernetes object changes: only the outside view can tell
        await probe.ProbeRoundAsync(TestContext.Current.CancellationToken);

        var silent = store.Value.Items(Kinds.ProbeTarget).Single(s => s.Meta.Name == "172.29.52.200:443");
        Assert.Equal((HealthStatus.Failed, "NotAnswering"), (silent.Verdict.Health, silent.Verdict.Reason));
        Assert.Equal(ProbeSteps.Tcp, ((ProbeDetails)silent.Details).FailedStep);
        Assert.Contains("connection refused", silent.Verdict.Message);
        var rollup = AreaRollups.NetworkPath(store.Value);
        Assert.Equal((HealthStatus.Failed, "3/4"), (rollup.Health, rollup.Count));
        var bgpAfter = AreaRollups.Bgp(store.Value);
        Assert.Equal((bgpBefore.Health, bgpBefore.Count), (bgpAfter.Health, bgpAfter.Count)); // BGP's verdict did not move
        Assert.Contains("172.29.52.200:443 not answering while BGP reports", rollup.Contradiction);

        var metrics = HealthMetrics.Format(store.Value, [], DateTimeOffset.UtcNow);
        Assert.Contains("homeops_probe_success{target=\"172.29.52.200:443\",source=\"vip\",owner=\"ingress-nginx-internal/ingress-nginx-internal-controller\",step=\"tcp\"} 0", metrics);
        Assert.Contains("homeops_area_health", metrics);

        _sim.Scenarios.Recover("vip-stops-answering");
        await probe.ProbeRoundAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Healthy, AreaRollups.NetworkPath(store.Value).Health);
    }

    [Fact]
    public async Task A_host_is_resolved_and_its_certificate_must_be_valid_for_the_name()
    {
        // localhost resolves; its TLS endpoint is the simulator's listener, whose certificate no system root trusts.
        var vip = _sim.ProbeTargets.Redirects.Single(r => r.StartsWith("172.29.52.200:443=", StringComparison.Ordinal));
        var options = Options("localhost", "no-such-host.invalid");
        options.Redirects = [.. options.Redirects, "localhost:443=" + vip[(vip.IndexOf('=') + 1)..]];
        var results = await Probe(StoreFromSimulator(), options).ProbeRoundAsync(TestContext.Current.CancellationToken);

        var local = results.Single(r => r.Target == "localhost");
        Assert.Equal((ProbeSteps.Tls, false), (local.FailedStep, local.TlsValid));
        Assert.Contains("untrusted chain", local.Detail);
        Assert.Equal("TlsFailed", ProbeHealth.Rule(local).Reason);

        var missing = results.Single(r => r.Target == "no-such-host.invalid");
        Assert.Equal(ProbeSteps.Dns, missing.FailedStep);
        Assert.Equal((HealthStatus.Failed, "DnsFailed"), (ProbeHealth.Rule(missing).Health, ProbeHealth.Rule(missing).Reason));
    }

    [Fact]
    public void Targets_are_bounded_and_a_malformed_redirect_refuses_to_start()
    {
        var state = StoreFromSimulator().Value;
        var bounded = new NetworkProbeOptions { MaxTargets = 2, Hosts = ["a.example", "b.example"] };
        Assert.Equal(2, NetworkProbe.Targets(state, bounded).Count);
        Assert.All(NetworkProbe.Targets(state, bounded), t => Assert.Equal(ProbeSources.Vip, t.Source)); // VIPs first

        var validation = new NetworkProbeOptionsValidation();
        Assert.True(validation.Validate(null, new NetworkProbeOptions()).Succeeded);
        var bad = validation.Validate(null, new NetworkProbeOptions { Redirects = ["172.29.52.200:443"], Timeout = TimeSpan.FromMinutes(1) });
        Assert.True(bad.Failed);
        Assert.Contains("Redirects", bad.FailureMessage);
        Assert.Contains("Timeout must be positive and shorter than Interval", bad.FailureMessage);
    }

    [Fact]
    public void Ports_are_read_as_the_Service_decoder_writes_them()
    {
        Assert.Equal(443, NetworkProbe.PortNumber("https 443/TCP"));
        Assert.Equal(9093, NetworkProbe.PortNumber("9093/TCP"));
        Assert.Equal(0, NetworkProbe.PortNumber("dns 53/UDP"));
    }
}
