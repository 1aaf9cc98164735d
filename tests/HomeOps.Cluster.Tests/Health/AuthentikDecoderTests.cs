using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Tests.Health;

public sealed class AuthentikDecoderTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-06-21T12:00:00Z");
    private const string ExternalPk = "3f0970c5-d6a3-43b2-9a36-d74665c6b24e";

    private static string Health(DateTimeOffset lastSeen, bool outdated = false) =>
        $"[{{'uid':'u1','hostname':'authentik-proxy-abc','last_seen':'{lastSeen:O}','version':'2025.12.4','version_should':'2025.12.4','version_outdated':{(outdated ? "true" : "false")}}}]";

    private static ResourceSnapshot Outpost(string type, string managed, string providers, string health) =>
        AuthentikDecoder.DecodeOutpost(
            Json.Parse($"{{'pk':'{ExternalPk}','name':'k8s-external-proxy-outpost','type':'{type}','providers':{providers},'managed':{managed}}}"),
            Json.Parse(health), Now);

    [Fact]
    public void The_external_proxy_outpost_with_providers_and_a_fresh_instance_is_Healthy()
    {
        var s = Outpost("proxy", "null", "[2,3,4,5,6,7,8]", Health(Now.AddSeconds(-8)));
        Assert.Equal((HealthStatus.Healthy, "Connected"), (s.Verdict.Health, s.Verdict.Reason));
        var d = (AuthentikOutpostDetails)s.Details;
        Assert.Equal(7, d.Providers.Length);
        Assert.False(d.Embedded);
        Assert.Equal(ExternalPk, s.Meta.Uid);
        Assert.Equal(Kinds.AuthentikOutpost, s.Kind);
    }

    [Fact]
    public void The_external_proxy_outpost_without_providers_is_Failed() =>
        Assert.Equal("NoProviders", Outpost("proxy", "null", "[]", Health(Now.AddSeconds(-8))).Verdict.Reason);

    [Fact]
    public void An_empty_health_array_means_no_instance_is_reporting() =>
        Assert.Equal((HealthStatus.Failed, "NoInstanceReporting"), (Outpost("proxy", "null", "[2]", "[]").Verdict.Health, Outpost("proxy", "null", "[2]", "[]").Verdict.Reason));

    [Fact]
    public void A_last_seen_older_than_five_minutes_is_Stale()
    {
        var s = Outpost("proxy", "null", "[2]", Health(Now.AddMinutes(-12)));
        Assert.Equal((HealthStatus.Failed, "Stale"), (s.Verdict.Health, s.Verdict.Reason));
        Assert.Contains("12 min", s.Verdict.Message);
    }

    [Fact]
    public void The_embedded_outpost_carrying_providers_is_Degraded()
    {
        var s = Outpost("proxy", "'goauthentik.io/outposts/embedded'", "[2]", Health(Now.AddSeconds(-5)));
        Assert.Equal((HealthStatus.Degraded, "EmbeddedHasProviders"), (s.Verdict.Health, s.Verdict.Reason));
        var empty = Outpost("proxy", "'goauthentik.io/outposts/embedded'", "[]", Health(Now.AddSeconds(-5)));
        Assert.Equal(HealthStatus.Healthy, empty.Verdict.Health); // the embedded outpost may be empty; it is not "the external one"
    }

    [Fact]
    public void An_outdated_instance_is_Degraded() =>
        Assert.Equal("VersionOutdated", Outpost("radius", "null", "[9]", Health(Now.AddSeconds(-5), outdated: true)).Verdict.Reason);

    [Theory]
    [InlineData("true", -1, HealthStatus.Failed, "Expired")]
    [InlineData("true", 3 * 24, HealthStatus.Degraded, "ExpiringSoon")]
    [InlineData("true", 30 * 24, HealthStatus.Healthy, "Valid")]
    [InlineData("false", -24, HealthStatus.Healthy, "NonExpiring")]
    public void Token_expiry(string expiring, int hoursFromNow, HealthStatus health, string reason)
    {
        var s = AuthentikDecoder.DecodeToken(Json.Parse(
            $"{{'pk':'p','identifier':'homeops-dashboard','intent':'api','user_obj':{{'username':'akadmin'}},'expires':'{Now.AddHours(hoursFromNow):O}','expiring':{expiring}}}"), Now);
        Assert.Equal((health, reason), (s.Verdict.Health, s.Verdict.Reason));
        Assert.Equal("homeops-dashboard", s.Meta.Uid);
        Assert.Equal("akadmin", ((AuthentikTokenDetails)s.Details).User);
    }

    [Fact]
    public void Wrong_shapes_are_Malformed_not_exceptions()
    {
        Assert.Equal("Malformed", AuthentikDecoder.DecodeOutpost(Json.Parse("{'pk':'x'}"), Json.Parse("{'not':'an array'}"), Now).Verdict.Reason);
        Assert.Equal("Malformed", AuthentikDecoder.DecodeOutpost(Json.Parse("[]"), Json.Parse("[]"), Now).Verdict.Reason);
        Assert.Equal("Malformed", AuthentikDecoder.DecodeToken(Json.Parse("42"), Now).Verdict.Reason);
    }
}
