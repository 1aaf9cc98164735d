using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static HomeOps.Deploy.Tests.Manifests.Rendered;

namespace HomeOps.Deploy.Tests.Manifests;

/// <summary>
/// Issue 13 f: the rendered policies allow exactly what the in-cluster workflows need — ICMP echo to every node (also
/// as a bare address, a node in maintenance mode), the Talos API 50000 on every node IP, DNS through Cilium's proxy,
/// and HTTPS to every Helm repository the real Taskfile adds plus GitHub — and nothing wider.
/// </summary>
public sealed partial class WorkflowEgressTests(RenderedBase rendered) : IClassFixture<RenderedBase>
{
    private static readonly string[] NodeCidrs = ["172.29.51.11/32", "172.29.51.12/32", "172.29.51.13/32"];
    private readonly Rendered _m = rendered.Manifests;

    private IReadOnlyList<JsonNode> CiliumEgress() =>
        [.. _m.OfKind("CiliumNetworkPolicy").SelectMany(p => Items(p, "spec", "egress"))];

    private static IEnumerable<string> Strings(JsonNode rule, string key) => Items(rule, key).Select(n => n.ToString());

    private static IEnumerable<string> Ports(JsonNode rule) =>
        Items(rule, "toPorts").SelectMany(tp => Items(tp, "ports")).Select(p => Str(p, "port")!);

    [Fact]
    public void Icmp_echo_reaches_every_node_as_a_cilium_identity_and_as_its_address()
    {
        var icmp = CiliumEgress().Where(r => Items(r, "icmps").Any()).ToList();
        Assert.All(icmp, r => Assert.Empty(Items(r, "toPorts")));
        Assert.All(icmp.SelectMany(r => Items(r, "icmps")).SelectMany(i => Items(i, "fields")), f =>
            Assert.Equal(("8", "IPv4"), (Str(f, "type"), Str(f, "family"))));
        Assert.Contains(icmp, r => Strings(r, "toEntities").Order().SequenceEqual(["host", "remote-node"]));
        Assert.Contains(icmp, r => Strings(r, "toCIDR").Order().SequenceEqual(NodeCidrs));
    }

    [Fact]
    public void The_talos_api_on_50000_is_allowed_to_each_node_ip_and_only_there()
    {
        var talos = CiliumEgress().Where(r => Ports(r).Contains("50000")).ToList();
        Assert.Contains(talos, r => Strings(r, "toCIDR").Order().SequenceEqual(NodeCidrs));
        Assert.All(talos, r => Assert.Equal(["50000"], Ports(r)));
        Assert.All(talos, r => Assert.All(Strings(r, "toCIDR"), c => Assert.Contains(c, NodeCidrs)));
    }

    [GeneratedRegex(@"helm repo add \S+ https://(?<host>[^/\s]+)")]
    private static partial Regex HelmRepo();

    [Fact]
    public void Https_reaches_every_helm_repository_the_taskfile_adds_and_github_by_name_only()
    {
        var repo = Path.Combine(RepoPaths.Root, "src", "HomeOps.Simulator", "HomeOpsRepo");
        var hosts = Directory.EnumerateFiles(repo, "*.yml", SearchOption.AllDirectories)
            .SelectMany(f => HelmRepo().Matches(File.ReadAllText(f)).Select(m => m.Groups["host"].Value))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Equal(["charts.external-secrets.io", "charts.longhorn.io", "helm.cilium.io"], hosts.Order(StringComparer.Ordinal));

        var fqdn = Assert.Single(CiliumEgress(), r => Items(r, "toFQDNs").Any());
        var names = Items(fqdn, "toFQDNs").Select(n => Str(n, "matchName")).ToList();
        Assert.DoesNotContain(Items(fqdn, "toFQDNs"), n => Str(n, "matchPattern") is not null);   // names, not wildcards
        Assert.Subset(names.ToHashSet(), hosts);
        Assert.Contains("github.com", names);
        Assert.Contains("api.github.com", names);
        Assert.Equal(["443"], Ports(fqdn));

        // toFQDNs learns addresses only from DNS answers seen by Cilium's DNS proxy: a DNS rule must exist.
        Assert.Contains(CiliumEgress(), r => Ports(r).Contains("53")
            && Items(r, "toPorts").Any(tp => Items(tp, "rules", "dns").Any()));
    }
}
