using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Tests.Health;

/// <summary>ClusterSecretStore and ExternalSecret verdicts (external-secrets.io/v1 Ready condition).</summary>
public sealed class SecretsHealthTests
{
    private static ResourceSnapshot Store(string status) => ResourceDecoder.TryDecode(Json.Parse("""
        {'apiVersion':'external-secrets.io/v1','kind':'ClusterSecretStore',
         'metadata':{'name':'onepassword-connect','uid':'s1','generation':2},
         'spec':{'provider':{'onepassword':{'connectHost':'http://onepassword-connect.onepassword-connect.svc.cluster.local:8080','vaults':{'Automation':1,'Other':2}}}},
         'status':{
        """ + status + "}}"), SeededState.Now)!;

    private static ResourceSnapshot ExternalSecret(string status) => ResourceDecoder.TryDecode(Json.Parse("""
        {'apiVersion':'external-secrets.io/v1','kind':'ExternalSecret',
         'metadata':{'name':'authentik-admin-token-enhanced','namespace':'authentik','uid':'e1','generation':1},
         'spec':{'refreshInterval':'5m','secretStoreRef':{'kind':'ClusterSecretStore','name':'onepassword-connect'},
                 'target':{'name':'authentik-admin-token'},'data':[{'secretKey':'token','remoteRef':{'key':'x','property':'token'}}]},
         'status':{
        """ + status + "}}"), SeededState.Now)!;

    [Fact]
    public void A_valid_store_is_healthy_and_shows_provider_endpoint_and_vaults()
    {
        var s = Store("'capabilities':'ReadOnly','conditions':[{'type':'Ready','status':'True','reason':'Valid','message':'store validated'}]");
        Assert.Equal((HealthStatus.Healthy, "Valid"), (s.Verdict.Health, s.Verdict.Reason));
        var d = Assert.IsType<SecretStoreDetails>(s.Details);
        Assert.Equal("onepassword", d.Provider);
        Assert.StartsWith("http://onepassword-connect.", d.Endpoint);
        Assert.Equal(["Automation", "Other"], d.Vaults);
        Assert.Equal("ReadOnly", d.Capabilities);
    }

    [Fact]
    public void A_store_that_fails_validation_is_failed_with_the_controllers_reason_and_message()
    {
        var s = Store("'conditions':[{'type':'Ready','status':'False','reason':'ValidationFailed','message':'unable to validate store: credentials file is not version 2'}]");
        Assert.Equal((HealthStatus.Failed, "ValidationFailed"), (s.Verdict.Health, s.Verdict.Reason));
        Assert.Contains("not version 2", s.Verdict.Message);
    }

    [Fact]
    public void A_store_without_conditions_or_with_a_stale_generation_is_progressing()
    {
        Assert.Equal((HealthStatus.Progressing, "NoConditions"), (Store("").Verdict.Health, Store("").Verdict.Reason));
        var lag = Store("'observedGeneration':1,'conditions':[{'type':'Ready','status':'True','reason':'Valid'}]");
        Assert.Equal((HealthStatus.Progressing, "ObservedGenerationLag"), (lag.Verdict.Health, lag.Verdict.Reason));
        var unknown = Store("'conditions':[{'type':'Ready','status':'Unknown','reason':'Pending'}]");
        Assert.Equal((HealthStatus.Unknown, "Pending"), (unknown.Verdict.Health, unknown.Verdict.Reason));
    }

    [Fact]
    public void A_synced_external_secret_is_healthy_with_its_refresh_time_and_synced_version()
    {
        var s = ExternalSecret("'refreshTime':'2026-11-25T11:58:00Z','syncedResourceVersion':'1-abc','conditions':[{'type':'Ready','status':'True','reason':'SecretSynced','message':'secret synced'}]");
        Assert.Equal((HealthStatus.Healthy, "SecretSynced"), (s.Verdict.Health, s.Verdict.Reason));
        var d = Assert.IsType<ExternalSecretDetails>(s.Details);
        Assert.Equal(("ClusterSecretStore", "onepassword-connect", "authentik-admin-token", "5m"), (d.StoreKind, d.StoreName, d.TargetSecret, d.RefreshInterval));
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 11, 58, 0, TimeSpan.Zero), d.RefreshTime);
        Assert.Equal("1-abc", d.SyncedResourceVersion);
        Assert.Equal(1, d.Keys);
    }

    [Fact]
    public void An_external_secret_that_cannot_sync_is_failed_with_SecretSyncedError()
    {
        var s = ExternalSecret("'conditions':[{'type':'Ready','status':'False','reason':'SecretSyncedError','message':'could not get secret data from provider'}]");
        Assert.Equal((HealthStatus.Failed, "SecretSyncedError"), (s.Verdict.Health, s.Verdict.Reason));
        Assert.Equal("could not get secret data from provider", s.Verdict.Message);
    }

    [Fact]
    public void Hostile_or_odd_shapes_never_throw()
    {
        var odd = ResourceDecoder.TryDecode(Json.Parse("{'apiVersion':'external-secrets.io/v1','kind':'ExternalSecret','metadata':{'name':'x'},'spec':{'data':'oops'}}"), SeededState.Now)!;
        Assert.Equal((HealthStatus.Unknown, ResourceDecoder.MalformedReason), (odd.Verdict.Health, odd.Verdict.Reason));
        var noProvider = ResourceDecoder.TryDecode(Json.Parse("{'apiVersion':'external-secrets.io/v1','kind':'ClusterSecretStore','metadata':{'name':'x'},'spec':{'provider':7}}"), SeededState.Now)!;
        Assert.Equal("", Assert.IsType<SecretStoreDetails>(noProvider.Details).Provider);
    }
}
