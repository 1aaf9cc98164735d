using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources.Probes;
using HomeOps.Simulator.OpsCommands;
using k8s;

namespace HomeOps.Simulator.Network;

/// <summary>
/// The simulated network between the operator's LAN and the LoadBalancer VLAN, as the dashboard's TCP probe would
/// find it. The ingress VIP answers only when all of this holds in the simulated cluster, read through its API like
/// any outside tool:
/// <list type="bullet">
/// <item>a LoadBalancer Service holds the address in <c>status.loadBalancer.ingress</c> (LB-IPAM assigned it);</item>
/// <item>the address is announced: at least one Ready node's Cilium agent has its BGP session to the UDM Pro
/// established (phase 3 installs Cilium with BGP off, so after the phases alone the VIP is not routed to the LAN
/// until <c>apps:deploy-cilium</c>);</item>
/// <item>the Service exposes the port (else the connection is refused).</item>
/// </list>
/// No route means the real connect would hang until the timeout; that is what is answered, without waiting for it.
/// </summary>
public sealed class SimulatedNetworkProber(string kubeconfig) : IReachabilityProber
{
    public async Task<ReachabilityAnswer> ProbeAsync(string address, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cluster = SimClusterClient.FromKubeconfig(kubeconfig);
        var services = await cluster.Api.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var service = services.Items.FirstOrDefault(s => s.Spec?.Type == "LoadBalancer"
            && (s.Status?.LoadBalancer?.Ingress ?? []).Any(i => i.Ip == address));
        var noRoute = $"TCP connect to {address}:{port} timed out after {timeout.TotalSeconds:0.#} s";
        if (service is null) return new(false, $"{noRoute} (no Service holds the address: nothing answers there)");

        var nodes = await cluster.Api.CoreV1.ListNodeAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var ready = nodes.Items.Where(n => (n.Status?.Conditions ?? []).Any(c => c.Type == "Ready" && c.Status == "True"))
            .Select(n => n.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        if (ready.Count == 0) return new(false, $"{noRoute} (no node is Ready to serve it)");

        var announcing = new List<string>();
        foreach (var config in await cluster.ListAsync(Kinds.BgpNodeConfig, ct: cancellationToken).ConfigureAwait(false))
        {
            var node = config["metadata"]?["name"]?.GetValue<string>();
            var established = (config["status"]?["bgpInstances"] as JsonArray ?? []).OfType<JsonObject>()
                .SelectMany(i => (i["peers"] as JsonArray ?? []).OfType<JsonObject>())
                .Any(p => p["peeringState"]?.GetValue<string>() == "established");
            if (node is not null && established && ready.Contains(node)) announcing.Add(node);
        }
        if (announcing.Count == 0)
            return new(false, $"{noRoute} (not announced: no Ready node has an established BGP session to the UDM Pro)");

        if (!(service.Spec?.Ports ?? []).Any(p => p.Port == port))
            return new(false, $"TCP connect to {address}:{port} failed: connection refused (Service {service.Metadata.NamespaceProperty}/{service.Metadata.Name} does not expose {port})");
        return new(true, $"TCP connect to {address}:{port} succeeded (announced by {string.Join(", ", announcing.Order(StringComparer.Ordinal))})");
    }
}
