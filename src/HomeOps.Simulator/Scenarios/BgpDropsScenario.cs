using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Seed;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.Scenarios;

/// <summary>
/// mini03's BGP session to the UDM Pro drops: the agent reports the peer <c>active</c> (no establishedTime, no
/// negotiated timers, no routes), then <c>established</c> again with a new establishedTime.
/// </summary>
internal sealed class BgpDropsScenario : IScenario
{
    public const string Node = "mini03";

    public string Name => "bgp-drops";

    public bool IsApplicable(ScenarioContext context) =>
        context.Cluster.Get(Kinds.BgpNodeConfig, null, Node) is { } config && Peers(config).Any();

    public IReadOnlyList<ObjectRef> Trigger(ScenarioContext context)
    {
        context.Cluster.Update(Kinds.BgpNodeConfig, null, Node, config =>
        {
            foreach (var peer in Peers(config))
            {
                peer["peeringState"] = "active";
                peer.Remove("establishedTime");
                peer.Remove("timers");
                if (peer["routeCount"] is JsonArray routes)
                {
                    foreach (var route in routes.OfType<JsonObject>())
                    {
                        route["advertised"] = 0;
                        route["received"] = 0;
                    }
                }
            }
        });
        return [new ObjectRef(Kinds.BgpNodeConfig, null, Node)];
    }

    public IReadOnlyList<ObjectRef> Recover(ScenarioContext context)
    {
        var established = BgpSeed.EstablishedPeer(Node, context.Timestamp);
        context.Cluster.Update(Kinds.BgpNodeConfig, null, Node, config =>
        {
            foreach (var peer in Peers(config))
            {
                peer["peeringState"] = "established";
                peer["establishedTime"] = context.Timestamp;
                peer["timers"] = established["timers"]!.DeepClone();
                peer["routeCount"] = established["routeCount"]!.DeepClone();
            }
        });
        return [new ObjectRef(Kinds.BgpNodeConfig, null, Node)];
    }

    private static IEnumerable<JsonObject> Peers(JsonObject config) =>
        (config["status"]?["bgpInstances"] as JsonArray ?? [])
        .OfType<JsonObject>()
        .SelectMany(i => (i["peers"] as JsonArray ?? []).OfType<JsonObject>())
        .Where(p => p.String("peerAddress") == HomeOpsTopology.BgpPeerAddress || p.String("peerAddress") == $"{HomeOpsTopology.BgpPeerAddress}/32");
}
