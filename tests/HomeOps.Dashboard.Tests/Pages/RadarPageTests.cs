using System.Text.Json;
using Bunit;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Reports;
using HomeOps.Cluster.Sources.Credentials;
using HomeOps.Cluster.State;
using HomeOps.Dashboard.Components.Controls.Tiles;
using HomeOps.Dashboard.Components.Pages;
using HomeOps.Dashboard.Tests.TestData;
using Microsoft.Extensions.DependencyInjection;

namespace HomeOps.Dashboard.Tests.Pages;

/// <summary>
/// The slow-burn radar's tile and page map the one <see cref="ExpiryRadar"/> to markup: worst verdict, soonest first,
/// absent sources said plainly, the dashboard's own credentials re-rendered when read again, hostile text escaped.
/// </summary>
public sealed class RadarPageTests : DashboardTestContext
{
    private sealed class FakeCredentials : ICredentialSource
    {
        public CredentialReport Current { get; private set; } = CredentialReport.NotRead;

        public event Action<CredentialReport>? Changed;

        public void Publish(CredentialReport report)
        {
            Current = report;
            Changed?.Invoke(report);
        }
    }

    private readonly FakeCredentials _credentials;

    public RadarPageTests() : this(new FakeCredentials())
    {
    }

    private RadarPageTests(FakeCredentials credentials) : base(services: s => s.AddSingleton<ICredentialSource>(credentials)) =>
        _credentials = credentials;

    private static ResourceSnapshot Certificate(string ns, string name, DateTimeOffset? notAfter, string ready = "True", string message = "Certificate is up to date and has not expired")
    {
        var status = new Dictionary<string, object?>
        {
            ["conditions"] = new[] { new Dictionary<string, object?> { ["type"] = "Ready", ["status"] = ready, ["reason"] = ready == "True" ? "Ready" : "Failed", ["message"] = message } },
        };
        if (notAfter is { } at) status["notAfter"] = at.ToString("yyyy-MM-ddTHH:mm:ssZ");
        var obj = new Dictionary<string, object?>
        {
            ["apiVersion"] = "cert-manager.io/v1",
            ["kind"] = "Certificate",
            ["metadata"] = new Dictionary<string, object?> { ["name"] = name, ["namespace"] = ns, ["uid"] = "uid-" + name, ["generation"] = 1 },
            ["spec"] = new Dictionary<string, object?> { ["secretName"] = name },
            ["status"] = status,
        };
        return ResourceDecoder.TryDecode(JsonSerializer.SerializeToElement(obj), Snap.T0)!;
    }

    [Fact]
    public void A_backup_verdict_reaches_the_radar_tile_and_a_volume_that_only_changes_does_not_recompute_it()
    {
        var store = UseCluster();
        var cut = Render<RadarTile>();
        cut.WaitForAssertion(() => Assert.True(cut.Instance.OwnRenders >= 1), Wait);
        var initialRenders = cut.Instance.OwnRenders;
        var delivered = 0;
        using var observer = store.SubscribeCoalesced((_, _) => { Interlocked.Increment(ref delivered); return Task.CompletedTask; },
            TimeSpan.FromMilliseconds(20));

        // A volume whose status moved (its size, say) but whose backup verdict did not: nothing on the radar changed.
        var volume = store.Value.Items(Kinds.LonghornVolume).Single(v => v.Meta.Name == "pvc-home-assistant");
        store.Dispatch(new ResourcesChanged(Kinds.LonghornVolume, [volume with { Meta = volume.Meta with { ResourceVersion = volume.Meta.ResourceVersion + "1" } }], [], Snap.T0));
        Poll.Until(() => Volatile.Read(ref delivered) > 0, Wait);
        Poll.StaysTrue(() => cut.Instance.OwnRenders == initialRenders, TimeSpan.FromMilliseconds(200));

        // The evaluator stores an overdue verdict (last backup 20 d ago, max age 14 d 6 h): the radar shows it.
        store.Dispatch(new ResourcesChanged(Kinds.VolumeBackup,
            [Snap.VolumeBackup("pvc-home-assistant", "home-assistant-critical", Snap.T0.AddDays(-20), TimeSpan.FromDays(14) + TimeSpan.FromHours(6))], [], Snap.T0));
        cut.WaitForAssertion(() => Assert.Contains("BackupOverdue", cut.Find("[data-testid=tile-radar]").TextContent), Wait);
        Assert.Equal("Degraded", cut.Find("[data-testid=tile-radar]").GetAttribute("data-health"));
    }

    [Fact]
    public void The_tile_shows_the_worst_verdict_the_count_and_the_certificate_inside_its_window()
    {
        UseCluster(ClusterFixture.HomeOps().With(
            Certificate("authentik-proxy", "authentik-proxy-tls", Snap.T0.AddDays(6)),
            Certificate("headlamp", "headlamp-tls", Snap.T0.AddDays(78))));

        var cut = Render<RadarTile>();

        var tile = cut.Find("[data-testid=tile-radar]");
        Assert.Equal("Degraded", tile.GetAttribute("data-health"));
        // The far certificate and the Authentik token (12 d, outside the token rule's 7 d) are fine; the 6-day one is not.
        Assert.Equal("2/3", cut.Find("[data-testid=tile-radar-count]").TextContent);
        Assert.Contains("authentik-proxy/authentik-proxy-tls", tile.TextContent);
        Assert.Contains("ExpiringSoon", tile.TextContent);
        Assert.DoesNotContain("headlamp-tls", tile.TextContent); // only problems listed
        Assert.Equal("1 expiring soon or overdue", cut.Find("[data-testid=tile-radar-verdict]").TextContent);
    }

    [Fact]
    public void The_page_lists_items_soonest_first_and_says_cert_manager_is_not_installed()
    {
        UseCluster(ClusterFixture.HomeOps().Feed(Kinds.Certificate, new Freshness(FeedState.NotInstalled, true, Snap.T0, Snap.T0, 0, null, Snap.T0)));

        var cut = Render<SlowBurnRadar>();

        var source = cut.Find("[data-testid=radar-source-certificate]");
        Assert.Equal("Unknown", source.GetAttribute("data-health"));
        Assert.Contains("cert-manager is not installed", source.TextContent);
        // The token is the only item; the credentials were not read in this process and say so.
        Assert.Single(cut.FindAll("[data-testid=radar-items] tbody tr"));
        Assert.Contains("not read", cut.Find("[data-testid=radar-source-kubeconfig]").TextContent);
    }

    [Fact]
    public void Rows_come_in_the_radars_order_with_time_left()
    {
        UseCluster(ClusterFixture.HomeOps().With(
            Certificate("a", "later", Snap.T0.AddDays(60)),
            Certificate("b", "gone", Snap.T0.AddHours(-3)),
            Certificate("c", "soon", Snap.T0.AddDays(2))));

        var cut = Render<SlowBurnRadar>();

        var names = cut.FindAll("[data-testid=radar-items] tbody tr td[data-label=Item] strong").Select(e => e.TextContent).ToList();
        Assert.Equal(["b/gone", "c/soon", "dashboard-api", "a/later"], names);
        var left = cut.FindAll("[data-testid=radar-items] tbody tr td[data-label='Time left']").Select(e => e.TextContent).ToList();
        Assert.Equal(["expired 3 h ago", "in 2 d", "in 12 d", "in 60 d"], left);
        Assert.Equal("Failed", cut.Find("[data-testid=radar-health]").GetAttribute("data-health"));
    }

    [Fact]
    public void Reading_the_credentials_again_re_renders_the_page_and_a_service_account_token_has_no_date()
    {
        UseCluster();
        var cut = Render<SlowBurnRadar>();
        Assert.DoesNotContain("rotated by kubelet", cut.Markup);

        _credentials.Publish(new CredentialReport(Snap.T0,
            [CredentialReading.Noted(RadarSources.Kubeconfig, "in-cluster service account", CredentialCertificates.ServiceAccountNote)]));

        cut.WaitForAssertion(() => Assert.Contains("service-account token (rotated by kubelet)", cut.Markup), Wait);
        Assert.Equal("Healthy", cut.Find("[data-testid=radar-source-kubeconfig]").GetAttribute("data-health"));
    }

    [Fact]
    public void A_certificate_changing_in_the_store_re_renders_the_tile()
    {
        var store = UseCluster(ClusterFixture.HomeOps().With(Certificate("apps", "c", Snap.T0.AddDays(60))));
        var cut = Render<RadarTile>();
        Assert.Equal("Healthy", cut.Find("[data-testid=tile-radar]").GetAttribute("data-health"));

        store.Dispatch(new ResourcesReplaced(Kinds.Certificate, [Certificate("apps", "c", Snap.T0.AddDays(60), ready: "False", message: "issuer not ready")], Snap.T0));

        cut.WaitForAssertion(() => Assert.Equal("Failed", cut.Find("[data-testid=tile-radar]").GetAttribute("data-health")), Wait);
        Assert.Contains("not Ready: issuer not ready", cut.Find("[data-testid=tile-radar]").TextContent);
    }

    [Fact]
    public void Hostile_text_from_the_cluster_renders_escaped()
    {
        const string hostile = "<img src=x onerror=alert(1)><script>alert(2)</script>";
        UseCluster(ClusterFixture.HomeOps().With(Certificate("apps", "evil", Snap.T0.AddDays(60), ready: "False", message: hostile)));
        _credentials.Publish(new CredentialReport(Snap.T0, [CredentialReading.Failed(RadarSources.Talosconfig, "<b>ctx</b>", hostile)]));

        var page = Render<SlowBurnRadar>();
        var tile = Render<RadarTile>();

        foreach (var cut in new IRenderedComponent<Microsoft.AspNetCore.Components.IComponent>[] { page, tile })
        {
            Assert.Empty(cut.FindAll("img"));
            Assert.Empty(cut.FindAll("script"));
            Assert.Empty(cut.FindAll("b"));
            Assert.Contains("&lt;img", cut.Markup);
        }
    }
}
