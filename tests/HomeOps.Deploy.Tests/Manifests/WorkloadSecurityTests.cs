using System.Text.Json.Nodes;
using static HomeOps.Deploy.Tests.Manifests.Rendered;

namespace HomeOps.Deploy.Tests.Manifests;

/// <summary>The rendered workload: non-root, read-only root filesystem, no privilege, limits, probes, volumes.</summary>
public sealed class WorkloadSecurityTests(RenderedBase rendered) : IClassFixture<RenderedBase>
{
    private readonly Rendered _m = rendered.Manifests;

    private IEnumerable<(JsonObject Owner, JsonNode PodSpec)> PodSpecs() =>
        _m.Objects.Select(o => (o, Spec: Str(o, "kind") switch
            {
                "Deployment" or "StatefulSet" or "DaemonSet" or "Job" or "ReplicaSet" => At(o, "spec", "template", "spec"),
                "CronJob" => At(o, "spec", "jobTemplate", "spec", "template", "spec"),
                "Pod" => At(o, "spec"),
                _ => null,
            }))
            .Where(x => x.Spec is not null).Select(x => (x.o, x.Spec!));

    [Fact]
    public void The_base_renders_the_expected_objects()
    {
        string[] kinds =
        [
            "Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "ConfigMap",
            "PersistentVolumeClaim", "Deployment", "Service", "Ingress", "ExternalSecret", "NetworkPolicy", "CiliumNetworkPolicy",
        ];
        foreach (var kind in kinds) Assert.NotEmpty(_m.OfKind(kind));
        // The audit Event Roles live in the namespaces they audit (AuditEventRbacTests); everything else in the app's.
        Assert.All(_m.Objects.Where(o => Str(o, "kind") is not ("Namespace" or "ClusterRole" or "ClusterRoleBinding")
                                         && Str(o, "metadata", "name") != "homeops-dashboard-audit-events"),
            o => Assert.Equal("homeops-dashboard", Str(o, "metadata", "namespace")));
        Assert.Equal("restricted", Str(_m.Single("Namespace"), "metadata", "labels", "pod-security.kubernetes.io/enforce"));
    }

    [Fact]
    public void Every_container_runs_non_root_with_a_read_only_root_and_no_privilege()
    {
        var specs = PodSpecs().ToList();
        Assert.NotEmpty(specs);
        foreach (var (owner, pod) in specs)
        {
            var podSecurity = At(pod, "securityContext");
            Assert.Equal("true", Str(podSecurity, "runAsNonRoot"));
            Assert.Equal("RuntimeDefault", Str(podSecurity, "seccompProfile", "type"));
            Assert.NotEqual("0", Str(podSecurity, "runAsUser"));
            Assert.NotEqual("true", Str(pod, "hostNetwork"));
            Assert.NotEqual("true", Str(pod, "hostPID"));
            foreach (var container in Items(pod, "containers").Concat(Items(pod, "initContainers")))
            {
                var name = $"{Str(owner, "metadata", "name")}/{Str(container, "name")}";
                var sc = At(container, "securityContext");
                Assert.True(Str(sc, "runAsNonRoot") == "true", $"{name}: runAsNonRoot");
                Assert.True(Str(sc, "readOnlyRootFilesystem") == "true", $"{name}: readOnlyRootFilesystem");
                Assert.True(Str(sc, "allowPrivilegeEscalation") == "false", $"{name}: allowPrivilegeEscalation false");
                Assert.True(Str(sc, "privileged") is null or "false", $"{name}: not privileged");
                Assert.Contains("ALL", Items(sc, "capabilities", "drop").Select(d => d.ToString()));
                Assert.Empty(Items(sc, "capabilities", "add"));
                Assert.True(Str(sc, "runAsUser") is null or not "0", $"{name}: runAsUser is not 0");
            }
        }
    }

    [Fact]
    public void Every_container_has_requests_limits_and_probes()
    {
        foreach (var (owner, pod) in PodSpecs())
        {
            foreach (var container in Items(pod, "containers"))
            {
                var name = $"{Str(owner, "metadata", "name")}/{Str(container, "name")}";
                foreach (var r in new[] { "cpu", "memory" })
                {
                    Assert.False(string.IsNullOrEmpty(Str(container, "resources", "requests", r)), $"{name}: requests.{r}");
                    Assert.False(string.IsNullOrEmpty(Str(container, "resources", "limits", r)), $"{name}: limits.{r}");
                }
                Assert.Equal("/healthz", Str(container, "livenessProbe", "httpGet", "path"));
                Assert.Equal("/readyz", Str(container, "readinessProbe", "httpGet", "path"));
                // Probes hit a port the container declares.
                var ports = Items(container, "ports").Select(p => Str(p, "name")).ToList();
                Assert.Contains(Str(container, "livenessProbe", "httpGet", "port"), ports);
                Assert.Contains(Str(container, "readinessProbe", "httpGet", "port"), ports);
            }
        }
    }

    [Fact]
    public void The_deployment_has_its_data_volume_tmp_config_and_downward_api()
    {
        var deployment = _m.Single("Deployment", "homeops-dashboard");
        Assert.Equal("1", Str(deployment, "spec", "replicas"));
        Assert.Equal("Recreate", Str(deployment, "spec", "strategy", "type")); // an RWO volume cannot roll
        var pod = At(deployment, "spec", "template", "spec")!;
        Assert.Equal("homeops-dashboard", Str(pod, "serviceAccountName"));
        var container = Assert.Single(Items(pod, "containers"));

        var mounts = Items(container, "volumeMounts").ToDictionary(m => Str(m, "mountPath")!, m => Str(m, "name")!);
        var volumes = Items(pod, "volumes").ToDictionary(v => Str(v, "name")!, v => v);
        var claim = Str(volumes[mounts["/data"]], "persistentVolumeClaim", "claimName");
        var pvc = _m.Single("PersistentVolumeClaim", claim);
        Assert.Equal("longhorn-ssd", Str(pvc, "spec", "storageClassName"));
        Assert.NotNull(At(volumes[mounts["/tmp"]], "emptyDir"));

        var env = Items(container, "env").ToDictionary(e => Str(e, "name")!, e => e);
        Assert.Equal("spec.nodeName", Str(env["NODE_NAME"], "valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("metadata.name", Str(env["POD_NAME"], "valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("metadata.namespace", Str(env["POD_NAMESPACE"], "valueFrom", "fieldRef", "fieldPath"));

        var configMapName = Str(Assert.Single(Items(container, "envFrom")), "configMapRef", "name");
        var config = At(_m.Single("ConfigMap", configMapName), "data")!.AsObject();
        Assert.Equal("InCluster", Str(config, "Cluster__Mode"));
        Assert.Equal("https://authentik.k8s.home.geoffdavis.com/application/o/homeops-dashboard/", Str(config, "Oidc__Authority"));
        Assert.Equal("http://authentik-server.authentik.svc.cluster.local", Str(config, "Authentik__BaseUrl"));
        Assert.Equal("10.244.0.0/16", Str(config, "Auth__KnownNetworks__0"));
        Assert.False(string.IsNullOrEmpty(Str(config, "Auth__ViewerGroups__0")));
        // Everything the app writes lives on the two writable mounts.
        Assert.StartsWith("/data", Str(config, "Auth__DataProtectionKeysPath"));
        Assert.StartsWith("/data", Str(config, "Operations__DataDirectory"));
        Assert.Equal("Lease", Str(config, "Operations__Lock"));
        // The metrics port is a port Kestrel listens on and the container declares.
        var metricsPort = Str(config, "Metrics__Port");
        Assert.Contains(metricsPort!, Str(config, "ASPNETCORE_HTTP_PORTS")!.Split(';'));
        Assert.Contains(metricsPort, Items(container, "ports").Select(p => Str(p, "containerPort")));
        // No secret in the ConfigMap.
        Assert.DoesNotContain(config, kv => Naming.LooksSecret(kv.Key));
    }
}
