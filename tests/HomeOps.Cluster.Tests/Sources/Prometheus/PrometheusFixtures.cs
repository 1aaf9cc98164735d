namespace HomeOps.Cluster.Tests.Sources.Prometheus;

/// <summary>Answers of Prometheus's <c>GET /api/v1/query?query=cilium_bgp_control_plane_session_state</c>. Provenance: SOURCES.md next to this file.</summary>
internal static class PrometheusFixtures
{
    /// <summary>Three agents, each with its session to the UDM Pro up; current label set (with neighbor_asn).</summary>
    public const string AllEstablished = """
    {"status":"success","data":{"resultType":"vector","result":[
      {"metric":{"__name__":"cilium_bgp_control_plane_session_state","instance":"172.29.51.11:9962","job":"cilium-agent","namespace":"kube-system","node":"mini01","pod":"cilium-8kx2p","vrouter":"64513","neighbor":"172.29.51.1","neighbor_asn":"64512"},"value":[1796640000.123,"1"]},
      {"metric":{"__name__":"cilium_bgp_control_plane_session_state","instance":"172.29.51.12:9962","job":"cilium-agent","namespace":"kube-system","node":"mini02","pod":"cilium-q7w4z","vrouter":"64513","neighbor":"172.29.51.1","neighbor_asn":"64512"},"value":[1796640000.123,"1"]},
      {"metric":{"__name__":"cilium_bgp_control_plane_session_state","instance":"172.29.51.13:9962","job":"cilium-agent","namespace":"kube-system","node":"mini03","pod":"cilium-m2bfd","vrouter":"64513","neighbor":"172.29.51.1","neighbor_asn":"64512"},"value":[1796640000.123,"1"]}
    ]}}
    """;

    /// <summary>mini03's session is down (0); older label set without neighbor_asn, neighbour as address:port.</summary>
    public const string OneDown = """
    {"status":"success","data":{"resultType":"vector","result":[
      {"metric":{"__name__":"cilium_bgp_control_plane_session_state","instance":"172.29.51.11:9962","job":"cilium-agent","node":"mini01","vrouter":"64513","neighbor":"172.29.51.1:179"},"value":[1796640000,"1"]},
      {"metric":{"__name__":"cilium_bgp_control_plane_session_state","instance":"172.29.51.12:9962","job":"cilium-agent","node":"mini02","vrouter":"64513","neighbor":"172.29.51.1:179"},"value":[1796640000,"1"]},
      {"metric":{"__name__":"cilium_bgp_control_plane_session_state","instance":"172.29.51.13:9962","job":"cilium-agent","node":"mini03","vrouter":"64513","neighbor":"172.29.51.1:179"},"value":[1796640000,"0"]}
    ]}}
    """;

    /// <summary>Two Prometheus replicas behind one service (kube-prometheus-stack with replicas: 2): each series twice; one replica still saw the session down.</summary>
    public const string TwoReplicas = """
    {"status":"success","data":{"resultType":"vector","result":[
      {"metric":{"__name__":"cilium_bgp_control_plane_session_state","node":"mini01","prometheus_replica":"prometheus-kps-0","vrouter":"64513","neighbor":"172.29.51.1","neighbor_asn":"64512"},"value":[1796640000,"1"]},
      {"metric":{"__name__":"cilium_bgp_control_plane_session_state","node":"mini01","prometheus_replica":"prometheus-kps-1","vrouter":"64513","neighbor":"172.29.51.1","neighbor_asn":"64512"},"value":[1796640001,"0"]}
    ]}}
    """;

    /// <summary>A scrape without the node relabelling: only instance (host:port) names the agent.</summary>
    public const string NoNodeLabel = """
    {"status":"success","data":{"resultType":"vector","result":[
      {"metric":{"__name__":"cilium_bgp_control_plane_session_state","instance":"172.29.51.12:9962","job":"cilium-agent","vrouter":"64513","neighbor":"172.29.51.1","neighbor_asn":"64512"},"value":[1796640000,"1"]}
    ]}}
    """;

    /// <summary>The metric does not exist in Prometheus (BGP control plane or agent metrics off, or no ServiceMonitor): an empty vector.</summary>
    public const string Empty = """{"status":"success","data":{"resultType":"vector","result":[]}}""";

    /// <summary>HTTP 400 body for a query Prometheus cannot parse.</summary>
    public const string BadData = """{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:1: parse error: no expression found in input"}""";

    /// <summary>A range query's answer sent where an instant vector is expected.</summary>
    public const string Matrix = """{"status":"success","data":{"resultType":"matrix","result":[]}}""";
}
