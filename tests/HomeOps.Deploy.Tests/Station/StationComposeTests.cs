using System.Text.RegularExpressions;
using HomeOps.Operations.Runners;
using YamlDotNet.RepresentationModel;

namespace HomeOps.Deploy.Tests.Station;

/// <summary>
/// Issue 14, the operator station's compose file (k8s/station/compose.yaml), parsed: the Dockerfile's station target,
/// the home-ops checkout, talosconfig and kubeconfig mounted where the settings point, the 1Password token as a
/// secret file, data on a local volume, Cluster:Mode=Kubeconfig, reachable on the LAN — and no secret written inline.
/// </summary>
public sealed partial class StationComposeTests
{
    private static readonly string ComposePath = Path.Combine(RepoPaths.K8s, "station", "compose.yaml");

    private static YamlMappingNode Root()
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(ComposePath));
        stream.Load(reader);
        return (YamlMappingNode)Assert.Single(stream.Documents).RootNode;
    }

    private static YamlMappingNode Map(YamlNode node, string key) => (YamlMappingNode)((YamlMappingNode)node).Children[new YamlScalarNode(key)];
    private static YamlSequenceNode Seq(YamlNode node, string key) => (YamlSequenceNode)((YamlMappingNode)node).Children[new YamlScalarNode(key)];
    private static string Str(YamlNode node, string key) => ((YamlScalarNode)((YamlMappingNode)node).Children[new YamlScalarNode(key)]).Value!;

    private static YamlMappingNode Service() => Map(Map(Root(), "services"), "dashboard");

    private static Dictionary<string, string> Env() =>
        Map(Service(), "environment").Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!, StringComparer.Ordinal);

    private static Dictionary<string, YamlMappingNode> MountsByTarget() =>
        Seq(Service(), "volumes").Cast<YamlMappingNode>().ToDictionary(m => Str(m, "target"), StringComparer.Ordinal);

    [GeneratedRegex(@"^\$\{[A-Z_]+(:[?-][^}]*)?\}$")]
    private static partial Regex HostVariable();

    [Fact]
    public void It_builds_the_Dockerfiles_station_target_from_the_repository_root()
    {
        var build = Map(Service(), "build");
        Assert.Equal("station", Str(build, "target"));
        var context = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ComposePath)!, Str(build, "context")));
        Assert.Equal(RepoPaths.Root.TrimEnd('/'), context.TrimEnd('/'));
        Assert.Contains("FROM ${ASPNET_IMAGE} AS station", File.ReadAllText(Path.Combine(context, Str(build, "dockerfile"))));
    }

    [Fact]
    public void It_watches_the_cluster_through_the_mounted_kubeconfig_as_a_station_not_as_the_pod()
    {
        var env = Env();
        Assert.Equal("Kubeconfig", env["Cluster__Mode"]);
        Assert.Equal("false", env["Operations__RunsInCluster"]);
        var mounts = MountsByTarget();
        Assert.True(mounts.ContainsKey(env["Cluster__Kubeconfig"]), "Cluster__Kubeconfig points at a mounted file");
        Assert.Equal(env["Cluster__Kubeconfig"], env["KUBECONFIG"]);
        Assert.True(mounts.ContainsKey(env["Operations__Variables__talosconfig"]), "the workflows' talosconfig is mounted");
        Assert.Equal(env["Operations__Variables__talosconfig"], env["TALOSCONFIG"]);
        foreach (var config in new[] { env["KUBECONFIG"], env["TALOSCONFIG"] })
        {
            Assert.Equal("bind", Str(mounts[config], "type"));
            Assert.Equal("true", Str(mounts[config], "read_only"));
            Assert.Matches(HostVariable(), Str(mounts[config], "source"));
        }
    }

    [Fact]
    public void The_checkout_is_a_writable_bind_mount_and_the_data_a_local_named_volume()
    {
        var env = Env();
        var mounts = MountsByTarget();
        var checkout = mounts[env["Operations__HomeOpsCheckout"]];
        Assert.Equal("bind", Str(checkout, "type"));
        Assert.False(checkout.Children.ContainsKey(new YamlScalarNode("read_only")), "bootstrap writes markers into .bootstrap-state/ and talos/generated");
        Assert.Matches(HostVariable(), Str(checkout, "source"));

        var data = mounts[env["Operations__DataDirectory"]];
        Assert.Equal("volume", Str(data, "type"));
        Assert.True(Map(Root(), "volumes").Children.ContainsKey(new YamlScalarNode(Str(data, "source"))), "a named local volume");
        Assert.False(Map(Root(), "volumes").Children[new YamlScalarNode(Str(data, "source"))] is YamlMappingNode { Children.Count: > 0 } v
                     && v.Children.ContainsKey(new YamlScalarNode("external")), "not an external (cluster) volume");
    }

    [Fact]
    public void The_1Password_token_is_a_secret_file_from_the_host_and_the_setting_points_at_it()
    {
        var env = Env();
        var secretName = Assert.Single(Seq(Service(), "secrets").Cast<YamlScalarNode>()).Value!;
        Assert.Equal($"/run/secrets/{secretName}", env["Operations__OnePasswordTokenFile"]);
        var secret = Map(Map(Root(), "secrets"), secretName);
        Assert.Matches(HostVariable(), Str(secret, "file"));
        Assert.DoesNotContain(LocalProcessRunner.OnePasswordTokenVariable, env.Keys);
    }

    [Fact]
    public void It_is_reachable_on_the_LAN_on_the_apps_port()
    {
        var port = Assert.Single(Seq(Service(), "ports").Cast<YamlScalarNode>()).Value!;
        Assert.EndsWith(":8080", port);
        Assert.StartsWith("${STATION_BIND:-0.0.0.0}:", port);
    }

    [Fact]
    public void No_secret_is_written_inline()
    {
        var text = File.ReadAllText(ComposePath);
        foreach (var (key, value) in Env())
            Assert.False(SecretMasker.IsSecretKey(key), $"{key} looks like a secret setting: it belongs in station.env or a secret file, not here ({value.Length} chars)");
        Assert.DoesNotMatch(@"ops_[A-Za-z0-9]{8,}", text);
        Assert.DoesNotMatch(@"(?m)^\s*(Oidc__ClientSecret|Authentik__Token|OP_SERVICE_ACCOUNT_TOKEN)\s*:", text);
        Assert.DoesNotMatch(@"[A-Za-z0-9+/]{40,}={0,2}", text);
    }

    [Fact]
    public void Kustomize_and_Flux_never_see_it()
    {
        Assert.DoesNotContain("station", File.ReadAllText(Path.Combine(RepoPaths.K8s, "kustomization.yaml")));
    }
}
