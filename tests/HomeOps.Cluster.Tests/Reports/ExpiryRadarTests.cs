using System.Text.Json;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Metrics;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Reports;
using HomeOps.Cluster.Sources.Credentials;
using HomeOps.Cluster.State;
using HomeOps.Cluster.Tests.Health;
using HomeOps.Cluster.Tests.Metrics;
using Microsoft.Extensions.Time.Testing;

namespace HomeOps.Cluster.Tests.Reports;

/// <summary>The slow-burn radar's one computation: verdicts per source, order, honesty about absent sources, and its gauges.</summary>
public sealed class ExpiryRadarTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly RadarOptions Defaults = new();

    private static ResourceSnapshot Certificate(string name, string? notAfter, string? renewalTime, string ready = "True", string reason = "Ready",
        string message = "Certificate is up to date and has not expired")
    {
        var status = new Dictionary<string, object?>
        {
            ["conditions"] = new[] { new Dictionary<string, object?> { ["type"] = "Ready", ["status"] = ready, ["reason"] = reason, ["message"] = message } },
        };
        if (notAfter is not null) status["notAfter"] = notAfter;
        if (renewalTime is not null) status["renewalTime"] = renewalTime;
        var obj = new Dictionary<string, object?>
        {
            ["apiVersion"] = "cert-manager.io/v1",
            ["kind"] = "Certificate",
            ["metadata"] = new Dictionary<string, object?> { ["name"] = name, ["namespace"] = "apps", ["uid"] = "uid-" + name, ["generation"] = 1 },
            ["spec"] = new Dictionary<string, object?> { ["secretName"] = name + "-tls", ["dnsNames"] = new[] { name + ".example.com" } },
            ["status"] = status,
        };
        return ResourceDecoder.TryDecode(JsonSerializer.SerializeToElement(obj), T0)!;
    }

    private static string At(TimeSpan fromT0) => (T0 + fromT0).ToString("yyyy-MM-ddTHH:mm:ssZ");

    private static ClusterState State(IReadOnlyList<ResourceSnapshot> certificates, FeedState certificateFeed = FeedState.Live,
        IReadOnlyList<ResourceSnapshot>? tokens = null)
    {
        var store = new ClusterStore();
        store.Dispatch(new ResourcesReplaced(Kinds.Certificate, certificates, T0));
        store.Dispatch(new FreshnessChanged(Kinds.Certificate, new Freshness(certificateFeed, certificateFeed == FeedState.Live, T0, T0, 0, null, T0)));
        store.Dispatch(new ResourcesReplaced(Kinds.AuthentikToken, tokens ?? [], T0));
        store.Dispatch(new FreshnessChanged(Kinds.AuthentikToken, new Freshness(FeedState.Live, true, T0, T0, 0, null, T0, Polled: true)));
        return store.Value;
    }

    private static ExpiryRadar Compute(ClusterState state, DateTimeOffset now, CredentialReport? credentials = null) =>
        ExpiryRadar.Compute(new RadarInputs(state, credentials ?? CredentialReport.NotRead, Defaults, now));

    [Fact]
    public void Each_certificate_gets_one_verdict_and_the_list_is_soonest_first()
    {
        var state = State(
        [
            Certificate("far", At(TimeSpan.FromDays(80)), At(TimeSpan.FromDays(50))),
            Certificate("soon", At(TimeSpan.FromDays(5)), At(TimeSpan.FromDays(3))),
            Certificate("gone", At(TimeSpan.FromDays(-2)), At(TimeSpan.FromDays(-32))),
            Certificate("overdue", At(TimeSpan.FromDays(25)), At(TimeSpan.FromDays(-1))),
            Certificate("broken", null, null, ready: "False", reason: "DoesNotExist", message: "Issuing certificate as Secret does not exist"),
        ]);

        var radar = Compute(state, T0);
        var certs = radar.Items.Where(i => i.Source == RadarSources.Certificate).ToList();

        // Dated items by time left (expired first), then what has no date.
        Assert.Equal(["gone", "soon", "overdue", "far", "broken"], certs.Select(i => i.Name));
        Assert.Equal(
            [(HealthStatus.Failed, "Expired"), (HealthStatus.Degraded, "ExpiringSoon"), (HealthStatus.Degraded, "RenewalOverdue"),
             (HealthStatus.Healthy, "Valid"), (HealthStatus.Failed, "DoesNotExist")],
            certs.Select(i => (i.Health, i.Reason)));
        Assert.Contains("not Ready: Issuing certificate as Secret does not exist", certs[4].Message);
        Assert.Equal(HealthStatus.Failed, radar.Health);
        Assert.Equal("1 expired, 1 failed, 2 expiring soon or overdue", radar.Verdict);
        Assert.Equal("1/5", radar.Count);
    }

    [Fact]
    public void Time_moves_a_certificate_from_healthy_into_its_warning_window_and_then_to_expired()
    {
        var time = new FakeTimeProvider(T0);
        var state = State([Certificate("c", At(TimeSpan.FromDays(30)), null)]);

        Assert.Equal(HealthStatus.Healthy, Compute(state, time.GetUtcNow()).Items.Single().Health);
        time.Advance(TimeSpan.FromDays(10)); // 20 d left, inside the 21 d default window
        var warned = Compute(state, time.GetUtcNow()).Items.Single();
        Assert.Equal((HealthStatus.Degraded, "ExpiringSoon"), (warned.Health, warned.Reason));
        Assert.Equal(TimeSpan.FromDays(20), warned.Left(time.GetUtcNow()));
        time.Advance(TimeSpan.FromDays(21));
        var expired = Compute(state, time.GetUtcNow()).Items.Single();
        Assert.Equal((HealthStatus.Failed, "Expired"), (expired.Health, expired.Reason));
        Assert.Equal("expired 24 h ago", expired.Message);
    }

    [Fact]
    public void A_renewal_a_few_minutes_late_is_within_the_grace_and_not_flagged()
    {
        var state = State([Certificate("c", At(TimeSpan.FromDays(60)), At(TimeSpan.FromMinutes(-10)))]);

        Assert.Equal(HealthStatus.Healthy, Compute(state, T0).Items.Single().Health);
        Assert.Equal(HealthStatus.Degraded, Compute(state, T0 + Defaults.RenewalGrace).Items.Single().Health);
    }

    [Fact]
    public void Cert_manager_not_installed_is_said_and_is_not_healthy()
    {
        var radar = Compute(State([], FeedState.NotInstalled), T0);

        var source = radar.Sources.Single(s => s.Source == RadarSources.Certificate);
        Assert.Equal(HealthStatus.Unknown, source.Health);
        Assert.Contains("not installed", source.Status);
        Assert.Equal(0, source.Items);
        Assert.Equal(HealthStatus.Unknown, radar.Health);
        Assert.Equal("nothing to watch", radar.Verdict);
    }

    [Fact]
    public void The_dashboards_own_credentials_are_judged_by_their_windows_and_a_service_account_token_has_no_date()
    {
        var credentials = new CredentialReport(T0,
        [
            CredentialReading.Noted(RadarSources.Kubeconfig, "in-cluster service account", CredentialCertificates.ServiceAccountNote),
            new CredentialReading(RadarSources.ApiServer, "10.0.0.1:6443", "CN=kube-apiserver", T0.AddDays(-300), T0.AddDays(20), null, null),
            new CredentialReading(RadarSources.Talosconfig, "home-ops", "O=os:admin", T0.AddDays(-10), T0.AddDays(355), null, null),
        ]);

        var radar = Compute(State([]), T0, credentials);

        var kube = radar.Items.Single(i => i.Source == RadarSources.Kubeconfig);
        Assert.Equal((HealthStatus.Healthy, "RotatedByKubelet", null), (kube.Health, kube.Reason, kube.ExpiresAt));
        Assert.Equal("service-account token (rotated by kubelet)", kube.Message);
        var api = radar.Items.Single(i => i.Source == RadarSources.ApiServer);
        Assert.Equal((HealthStatus.Degraded, "ExpiringSoon"), (api.Health, api.Reason)); // 20 d < 30 d
        var talos = radar.Items.Single(i => i.Source == RadarSources.Talosconfig);
        Assert.Equal((HealthStatus.Healthy, "Valid"), (talos.Health, talos.Reason));
        Assert.Equal([RadarSources.ApiServer, RadarSources.Talosconfig, RadarSources.Kubeconfig], radar.Items.Select(i => i.Source));
    }

    [Fact]
    public void Credentials_not_read_yet_are_unknown_not_healthy()
    {
        var radar = Compute(State([]), T0);

        foreach (var source in new[] { RadarSources.Kubeconfig, RadarSources.Talosconfig, RadarSources.ApiServer })
        {
            var s = radar.Sources.Single(x => x.Source == source);
            Assert.Equal((HealthStatus.Unknown, "not read"), (s.Health, s.Status));
        }
    }

    [Fact]
    public void An_unreadable_credential_is_unknown_with_its_reason()
    {
        var credentials = new CredentialReport(T0, [CredentialReading.Failed(RadarSources.Talosconfig, "home-ops", "context 'home-ops' has no client certificate (crt)")]);

        var item = Compute(State([]), T0, credentials).Items.Single();

        Assert.Equal((HealthStatus.Unknown, "Unreadable"), (item.Health, item.Reason));
        Assert.Contains("no client certificate", item.Message);
    }

    [Fact]
    public void Authentik_tokens_keep_the_token_rules_verdict()
    {
        var tokens = Fixtures.Load("authentik/core-tokens-list-synth.json").GetProperty("results").EnumerateArray()
            .Select(t => AuthentikDecoder.DecodeToken(t, T0)).ToList();
        Assert.NotEmpty(tokens);

        var radar = Compute(State([], tokens: tokens), T0);
        var items = radar.Items.Where(i => i.Source == RadarSources.AuthentikToken).ToList();

        Assert.Equal(tokens.Count, items.Count);
        foreach (var token in tokens)
        {
            var item = items.Single(i => i.Key == token.Key);
            Assert.Equal((token.Verdict.Health, token.Verdict.Reason), (item.Health, item.Reason));
            Assert.Equal(token.Details is AuthentikTokenDetails { Expiring: true } d ? d.Expires : null, item.ExpiresAt);
        }
    }

    [Fact]
    public void The_simulator_seed_shows_one_certificate_inside_its_warning_window()
    {
        var radar = ExpiryRadar.Compute(new RadarInputs(SeededState.Build(), CredentialReport.NotRead, Defaults, SeededState.Now));
        var certs = radar.Items.Where(i => i.Source == RadarSources.Certificate).ToList();

        Assert.True(certs.Count >= 3);
        var soonest = certs[0];
        Assert.Equal(("authentik-proxy", "authentik-proxy-tls", HealthStatus.Degraded), (soonest.Namespace, soonest.Name, soonest.Health));
        Assert.All(certs.Skip(1), c => Assert.Equal(HealthStatus.Healthy, c.Health));
    }

    [Fact]
    public void The_expiry_gauge_is_seconds_left_and_negative_once_expired()
    {
        var state = State([Certificate("gone", At(TimeSpan.FromHours(-1)), null), Certificate("ok", At(TimeSpan.FromDays(40)), null),
            Certificate("broken", null, null, ready: "False", reason: "Failed", message: "x")]);
        var radar = Compute(state, T0);

        var samples = ExpositionParser.Parse(RadarMetrics.Format(radar)).SelectMany(f => f.Samples).ToList();

        Assert.Equal(-3600, samples.Single(s => s.Name == "homeops_expiry_seconds" && s.Labels["name"] == "gone").Value);
        Assert.Equal(40 * 86400, samples.Single(s => s.Name == "homeops_expiry_seconds" && s.Labels["name"] == "ok").Value);
        Assert.Equal("apps", samples.Single(s => s.Name == "homeops_expiry_seconds" && s.Labels["name"] == "ok").Labels["namespace"]);
        Assert.Equal(RadarSources.Certificate, samples.Single(s => s.Name == "homeops_expiry_seconds" && s.Labels["name"] == "ok").Labels["source"]);
        // No date, no expiry series; its health series is still there.
        Assert.DoesNotContain(samples, s => s.Name == "homeops_expiry_seconds" && s.Labels["name"] == "broken");
        Assert.Equal(0, samples.Single(s => s.Name == "homeops_expiry_healthy" && s.Labels["name"] == "broken").Value);
        Assert.Equal(1, samples.Single(s => s.Name == "homeops_expiry_healthy" && s.Labels["name"] == "ok").Value);
    }
}
