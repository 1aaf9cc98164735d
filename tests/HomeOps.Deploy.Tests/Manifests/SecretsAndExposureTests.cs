using System.Text.Json.Nodes;
using static HomeOps.Deploy.Tests.Manifests.Rendered;

namespace HomeOps.Deploy.Tests.Manifests;

/// <summary>Secrets only through External Secrets; exposure only through nginx-internal with TLS; traffic allowed narrowly.</summary>
public sealed class SecretsAndExposureTests(RenderedBase rendered) : IClassFixture<RenderedBase>
{
    private readonly Rendered _m = rendered.Manifests;

    private static IEnumerable<string> SecretReferences(JsonNode pod)
    {
        foreach (var c in Items(pod, "containers").Concat(Items(pod, "initContainers")))
        {
            foreach (var e in Items(c, "env"))
                if (Str(e, "valueFrom", "secretKeyRef", "name") is { } n) yield return n;
            foreach (var e in Items(c, "envFrom"))
                if (Str(e, "secretRef", "name") is { } n) yield return n;
        }
        foreach (var v in Items(pod, "volumes"))
        {
            if (Str(v, "secret", "secretName") is { } n) yield return n;
            foreach (var source in Items(v, "projected", "sources"))
                if (Str(source, "secret", "name") is { } p) yield return p;
        }
        foreach (var s in Items(pod, "imagePullSecrets"))
            if (Str(s, "name") is { } n) yield return n;
    }

    [Fact]
    public void No_plain_secret_is_rendered_and_every_referenced_secret_comes_from_an_external_secret()
    {
        Assert.Empty(_m.OfKind("Secret"));
        var fromExternalSecrets = _m.OfKind("ExternalSecret")
            .ToDictionary(e => Str(e, "spec", "target", "name") ?? Str(e, "metadata", "name")!, e => e);
        var pod = At(_m.Single("Deployment", "homeops-dashboard"), "spec", "template", "spec")!;
        var referenced = SecretReferences(pod).ToList();
        Assert.NotEmpty(referenced);
        foreach (var name in referenced)
            Assert.True(fromExternalSecrets.ContainsKey(name), $"Secret {name} is used by the Deployment but no ExternalSecret produces it");

        // Every key the Deployment reads is one the ExternalSecret writes.
        foreach (var env in Items(Items(pod, "containers").First(), "env"))
        {
            if (At(env, "valueFrom", "secretKeyRef") is not { } keyRef) continue;
            var keys = Items(fromExternalSecrets[Str(keyRef, "name")!], "spec", "data").Select(d => Str(d, "secretKey")).ToList();
            Assert.Contains(Str(keyRef, "key"), keys);
        }
        // Both secrets the issue names: the OIDC client secret and the Authentik API token.
        var envNames = Items(Items(pod, "containers").First(), "env").Where(e => At(e, "valueFrom", "secretKeyRef") is not null).Select(e => Str(e, "name")).ToList();
        Assert.Contains("Oidc__ClientSecret", envNames);
        Assert.Contains("Authentik__Token", envNames);
    }

    [Fact]
    public void External_secrets_use_the_onepassword_connect_cluster_store()
    {
        var externalSecrets = _m.OfKind("ExternalSecret").ToList();
        Assert.Equal(3, externalSecrets.Count);
        foreach (var es in externalSecrets)
        {
            Assert.Equal("external-secrets.io/v1", Str(es, "apiVersion"));
            Assert.Equal("ClusterSecretStore", Str(es, "spec", "secretStoreRef", "kind"));
            Assert.Equal("onepassword-connect", Str(es, "spec", "secretStoreRef", "name"));
            Assert.Equal("Owner", Str(es, "spec", "target", "creationPolicy"));
            Assert.All(Items(es, "spec", "data"), d => Assert.False(string.IsNullOrEmpty(Str(d, "remoteRef", "key"))));
            Assert.All(Items(es, "spec", "dataFrom"), d => Assert.False(string.IsNullOrEmpty(Str(d, "extract", "key"))));
        }
    }

    [Fact]
    public void The_data_protection_keys_are_encrypted_with_a_certificate_mounted_read_only_from_an_external_secret()
    {
        var pod = At(_m.Single("Deployment", "homeops-dashboard"), "spec", "template", "spec")!;
        var container = Items(pod, "containers").First();
        var config = At(_m.Single("ConfigMap", Str(Assert.Single(Items(container, "envFrom")), "configMapRef", "name")), "data")!;
        var certificate = Str(config, "DataProtection__CertificatePath");
        var key = Str(config, "DataProtection__CertificateKeyPath");
        Assert.False(string.IsNullOrEmpty(certificate));
        Assert.False(string.IsNullOrEmpty(key));
        Assert.Null(Str(config, "DataProtection__AllowUnencryptedKeys"));

        // The files sit on a read-only mount of a Secret an ExternalSecret produces, not on the backed-up data volume.
        var mount = Assert.Single(Items(container, "volumeMounts"), m => certificate!.StartsWith(Str(m, "mountPath")! + "/", StringComparison.Ordinal));
        Assert.Equal("true", Str(mount, "readOnly"));
        Assert.StartsWith(Str(mount, "mountPath")! + "/", key);
        var volume = Assert.Single(Items(pod, "volumes"), v => Str(v, "name") == Str(mount, "name"));
        var secretName = Str(volume, "secret", "secretName");
        Assert.Contains(_m.OfKind("ExternalSecret"), e => Str(e, "spec", "target", "name") == secretName);
        Assert.DoesNotContain(Str(config, "Auth__DataProtectionKeysPath")!, Str(mount, "mountPath"));
    }

    [Fact]
    public void The_ingress_is_nginx_internal_with_tls_a_certificate_dns_and_sticky_sessions()
    {
        var ingress = _m.Single("Ingress");
        Assert.Equal("nginx-internal", Str(ingress, "spec", "ingressClassName"));
        const string host = "dashboard.k8s.home.geoffdavis.com";
        var tls = Assert.Single(Items(ingress, "spec", "tls"));
        Assert.Contains(host, Items(tls, "hosts").Select(h => h.ToString()));
        Assert.False(string.IsNullOrEmpty(Str(tls, "secretName")));
        Assert.Equal(host, Str(Assert.Single(Items(ingress, "spec", "rules")), "host"));
        var a = At(ingress, "metadata", "annotations")!.AsObject();
        Assert.Equal("letsencrypt-prod", Str(a, "cert-manager.io/cluster-issuer"));
        Assert.Equal(host, Str(a, "external-dns.alpha.kubernetes.io/hostname"));
        Assert.Equal("cookie", Str(a, "nginx.ingress.kubernetes.io/affinity"));
        Assert.True(int.Parse(Str(a, "nginx.ingress.kubernetes.io/proxy-read-timeout")!) >= 3600, "long-lived circuits");
        Assert.True(int.Parse(Str(a, "nginx.ingress.kubernetes.io/proxy-send-timeout")!) >= 3600, "long-lived circuits");

        // The backend is the app port of the Service, never the metrics port.
        var backend = At(Assert.Single(Items(Assert.Single(Items(ingress, "spec", "rules")), "http", "paths")), "backend", "service")!;
        var service = _m.Single("Service", Str(backend, "name"));
        var port = Items(service, "spec", "ports").Single(p => Str(p, "name") == Str(backend, "port", "name") || Str(p, "port") == Str(backend, "port", "number"));
        Assert.Equal("http", Str(port, "targetPort"));
        Assert.Equal("ClusterIP", Str(service, "spec", "type"));
        Assert.Null(At(service, "metadata", "annotations", "external-dns.alpha.kubernetes.io/hostname"));
    }

    [Fact]
    public void The_network_policy_admits_the_ingress_and_monitoring_on_their_own_ports_and_limits_egress()
    {
        var policy = _m.Single("NetworkPolicy");
        Assert.Equal(new[] { "Ingress", "Egress" }, Items(policy, "spec", "policyTypes").Select(t => t.ToString()));
        var sources = Items(policy, "spec", "ingress").Select(rule => (
            From: Items(rule, "from").Select(f => Str(f, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name")).Single(),
            Ports: Items(rule, "ports").Select(p => Str(p, "port")).ToList())).ToList();
        Assert.Equal(2, sources.Count);
        Assert.Equal(new[] { "8080" }, sources.Single(s => s.From == "ingress-nginx-internal").Ports);
        Assert.Equal(new[] { "9090" }, sources.Single(s => s.From == "monitoring").Ports);

        var egressPorts = Items(policy, "spec", "egress").SelectMany(r => Items(r, "ports")).Select(p => Str(p, "port")).ToHashSet();
        Assert.Contains("53", egressPorts);     // DNS
        Assert.Contains("9000", egressPorts);   // Authentik API
        Assert.Contains("443", egressPorts);    // Authentik OIDC through nginx-internal
        Assert.Contains("6443", egressPorts);   // kube-apiserver
        Assert.All(Items(policy, "spec", "egress"), r => Assert.NotEmpty(Items(r, "to")));
        // The network-path probes (on by default) reach every VIP of the BGP pools and the pods Cilium translates them to,
        // on TCP only: without this rule every VIP but nginx-internal:443 would time out in-cluster and the area turn red.
        var probes = Assert.Single(Items(policy, "spec", "egress"), r => Items(r, "to").Any(t => Str(t, "ipBlock", "cidr") == "172.29.52.0/24"));
        Assert.Equal(new[] { "TCP" }, Items(probes, "ports").Select(p => Str(p, "protocol")));
        Assert.All(Items(probes, "ports"), p => Assert.Null(Str(p, "port")));

        var cilium = _m.Single("CiliumNetworkPolicy", "homeops-dashboard-cluster-apis");
        Assert.Contains("kube-apiserver", Items(cilium, "spec", "egress").SelectMany(r => Items(r, "toEntities")).Select(e => e.ToString()));
    }
}
