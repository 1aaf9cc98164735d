using System.Text.Json;
using Bunit;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Dashboard.Components.Controls.Tiles;
using HomeOps.Dashboard.Components.Controls;
using HomeOps.Dashboard.Components.Pages;
using HomeOps.Dashboard.Tests.TestData;

namespace HomeOps.Dashboard.Tests.Pages;

/// <summary>The secrets and LoadBalancer pages and tiles, fed by the real decoders.</summary>
public class SecretsAndLoadBalancersPageTests : DashboardTestContext
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static ResourceSnapshot Decode(string json) =>
        ResourceDecoder.TryDecode(JsonDocument.Parse(json.Replace('\'', '"')).RootElement.Clone(), Now)!;

    private static ResourceSnapshot Store(string ready, string reason, string message) => Decode(
        "{'apiVersion':'external-secrets.io/v1','kind':'ClusterSecretStore','metadata':{'name':'onepassword-connect','uid':'store'}," +
        "'spec':{'provider':{'onepassword':{'connectHost':'http://onepassword-connect:8080','vaults':{'Automation':1}}}}," +
        $"'status':{{'conditions':[{{'type':'Ready','status':'{ready}','reason':'{reason}','message':'{message}'}}]}}}}");

    private static ResourceSnapshot ExternalSecret(string ns, string name, string ready, string reason) => Decode(
        $"{{'apiVersion':'external-secrets.io/v1','kind':'ExternalSecret','metadata':{{'name':'{name}','namespace':'{ns}','uid':'es-{ns}-{name}'}}," +
        "'spec':{'refreshInterval':'1h','secretStoreRef':{'kind':'ClusterSecretStore','name':'onepassword-connect'},'target':{'name':'t'}}," +
        $"'status':{{'refreshTime':'{Now.AddMinutes(-2):yyyy-MM-ddTHH:mm:ssZ}','conditions':[{{'type':'Ready','status':'{ready}','reason':'{reason}'}}]}}}}");

    private static ResourceSnapshot LoadBalancer(string ns, string name, string? label, string? annotation, string? ip) => Decode(
        $"{{'apiVersion':'v1','kind':'Service','metadata':{{'name':'{name}','namespace':'{ns}','uid':'svc-{name}'," +
        $"'labels':{{{(label is null ? "" : $"'io.cilium/lb-ipam-pool':'{label}'")}}},'annotations':{{{(annotation is null ? "" : $"'io.cilium/lb-ipam-pool':'{annotation}'")}}}}}," +
        $"'spec':{{'type':'LoadBalancer'}},'status':{{'loadBalancer':{{{(ip is null ? "" : $"'ingress':[{{'ip':'{ip}'}}]")}}}}}}}");

    private ClusterFixture WithPipeline(bool storeFails) => ClusterFixture.HomeOps().With(
        Snap.Kustomization("infrastructure-external-secrets", dependsOn: ["infrastructure-sources"]),
        Snap.Kustomization("infrastructure-onepassword", dependsOn: ["infrastructure-external-secrets"]),
        Snap.Kustomization("infrastructure-cert-manager", dependsOn: ["infrastructure-onepassword"]),
        storeFails ? Store("False", "ValidationFailed", "credentials file is not version 2") : Store("True", "Valid", "store validated"),
        ExternalSecret("authentik", "authentik-config", storeFails ? "False" : "True", storeFails ? "SecretSyncedError" : "SecretSynced"),
        ExternalSecret("kube-system", "cilium-bgp-auth", "True", "SecretSynced"));

    [Fact]
    public void A_failing_store_shows_its_reason_the_failed_secrets_and_the_kustomizations_at_risk()
    {
        UseCluster(WithPipeline(storeFails: true));
        var cut = Render<Secrets>();

        Assert.Equal("Failed", cut.Find("[data-testid=row-clustersecretstore-onepassword-connect]").GetAttribute("data-health"));
        Assert.Contains("ValidationFailed", cut.Find("[data-testid=row-clustersecretstore-onepassword-connect]").TextContent);
        Assert.Equal("Failed", cut.Find("[data-testid=row-externalsecret-authentik-authentik-config]").GetAttribute("data-health"));
        Assert.Equal("1/2", cut.Find("[data-testid=secrets-synced-count]").TextContent);
        Assert.Contains("credentials file is not version 2", cut.Find("[data-testid=secrets-at-risk]").TextContent);
        Assert.Contains("infrastructure-onepassword → infrastructure-cert-manager", cut.Find("[data-testid=row-atrisk-infrastructure-cert-manager]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=row-atrisk-infrastructure-onepassword]"));

        var tile = Render<SecretsTile>();
        Assert.Equal("1/2", tile.Find("[data-testid=tile-secrets-count]").TextContent);
        Assert.Contains("2 Kustomizations at risk", tile.Find("[data-testid=tile-secrets-atrisk]").TextContent);
    }

    [Fact]
    public void A_valid_store_puts_nothing_at_risk()
    {
        UseCluster(WithPipeline(storeFails: false));
        var cut = Render<Secrets>();
        Assert.Empty(cut.FindAll("[data-testid=secrets-at-risk]"));
        Assert.Empty(cut.FindAll("[data-testid=secrets-atrisk]"));
        Assert.Equal("Healthy", Render<SecretsTile>().Find("[data-testid=tile-secrets]").GetAttribute("data-health"));
    }

    [Fact]
    public void LoadBalancers_show_pending_services_the_annotation_mistake_and_pool_usage()
    {
        UseCluster(ClusterFixture.HomeOps().With(
            Snap.Pool("bgp-ingress", "172.29.52.200-172.29.52.220"),
            LoadBalancer("ingress-nginx-internal", "ingress-nginx-internal-controller", "bgp-ingress", "bgp-ingress", "172.29.52.200"),
            LoadBalancer("longhorn-system", "longhorn-frontend", null, "bgp-default", null)));
        var cut = Render<LoadBalancers>();

        var pending = cut.Find("[data-testid=row-service-longhorn-system-longhorn-frontend]");
        Assert.Equal("Failed", pending.GetAttribute("data-health"));
        Assert.Contains("<pending>", pending.TextContent);
        Assert.Contains("PoolAnnotationWithoutLabel", pending.TextContent);
        Assert.Equal("1/2", cut.Find("[data-testid=lb-assigned-count]").TextContent);
        Assert.Contains("1 / 1", cut.Find("[data-testid=row-poolusage-bgp-ingress]").TextContent);

        var tile = Render<LoadBalancersTile>();
        Assert.Equal("1/2", tile.Find("[data-testid=tile-loadbalancers-count]").TextContent);
        Assert.Contains("longhorn-frontend", tile.Find("[data-testid=tile-loadbalancers]").TextContent);
    }

    [Fact]
    public void The_BGP_status_panel_says_only_configuration_is_known_with_the_v1_policy()
    {
        UseCluster(new ClusterFixture().With(Snap.PeeringPolicy()));
        var panel = Render<BgpStatusPanel>().Find("[data-testid=bgp-status]");
        Assert.Equal("V1", panel.GetAttribute("data-active"));
        Assert.Equal("false", panel.GetAttribute("data-known"));
        Assert.Contains("Only the configuration is known", panel.TextContent);
        Assert.Contains("1.19", panel.TextContent);
    }
}
