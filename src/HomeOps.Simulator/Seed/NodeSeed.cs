using System.Text.Json.Nodes;
using static HomeOps.Simulator.Seed.HomeOpsTopology;
using static HomeOps.Simulator.Seed.SeedConditions;

namespace HomeOps.Simulator.Seed;

/// <summary>The three Intel Mac minis: all control plane, Talos, dual-stack, Cilium as CNI (cluster brief §1).</summary>
internal static class NodeSeed
{
    public static IEnumerable<JsonObject> Build(SeedClock clock) => NodeNames.Select(name => Node(clock, name));

    private static JsonObject Node(SeedClock clock, string name)
    {
        var index = NodeIndex(name);
        var created = clock.Created(TimeSpan.FromMinutes(2 * index));
        var ready = clock.Created(TimeSpan.FromMinutes(2 * index + 1));
        var heartbeat = clock.Ago(TimeSpan.FromSeconds(7 + 11 * index));
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["uid"] = SeedIds.Uid("node/" + name),
                ["creationTimestamp"] = created,
                ["labels"] = new JsonObject
                {
                    ["beta.kubernetes.io/arch"] = "amd64",
                    ["beta.kubernetes.io/os"] = "linux",
                    ["kubernetes.io/arch"] = "amd64",
                    ["kubernetes.io/hostname"] = name,
                    ["kubernetes.io/os"] = "linux",
                    ["node-role.kubernetes.io/control-plane"] = "",
                    ["node.kubernetes.io/exclude-from-external-load-balancers"] = "",
                    ["extensions.talos.dev/iscsi-tools"] = "v0.2.0",
                    ["extensions.talos.dev/lldpd"] = "1.0.19",
                    ["extensions.talos.dev/thunderbolt"] = "v1.10.5",
                    ["extensions.talos.dev/usb-modem-drivers"] = "v1.10.5",
                },
                ["annotations"] = new JsonObject
                {
                    ["alpha.kubernetes.io/provided-node-ip"] = $"{NodeIPv4(name)},{NodeIPv6(name)}",
                    ["extensions.talos.dev/schematic"] = "ced720bf79203f5297a63edcdbbf43a0922c2a66dcfa6676b1cc1ce46d105be1",
                    ["node.alpha.kubernetes.io/ttl"] = "0",
                    ["talos.dev/owned-labels"] = "[\"extensions.talos.dev/iscsi-tools\",\"extensions.talos.dev/lldpd\",\"extensions.talos.dev/thunderbolt\",\"extensions.talos.dev/usb-modem-drivers\",\"node-role.kubernetes.io/control-plane\"]",
                    ["volumes.kubernetes.io/controller-managed-attach-detach"] = "true",
                },
            },
            ["spec"] = new JsonObject
            {
                ["podCIDR"] = $"10.244.{index}.0/24",
                ["podCIDRs"] = new JsonArray($"10.244.{index}.0/24", $"fd47:25e1:2f96:51:2000::{index:x}00/120"),
            },
            ["status"] = new JsonObject
            {
                ["addresses"] = new JsonArray(
                    Address("InternalIP", NodeIPv4(name)),
                    Address("InternalIP", NodeIPv6(name)),
                    Address("Hostname", name)),
                ["allocatable"] = Resources(cpu: "11950m", memory: "32332572Ki", storage: "209584671129"),
                ["capacity"] = Resources(cpu: "12", memory: "32657972Ki", storage: "228065536Ki"),
                ["conditions"] = new JsonArray(
                    NodeCondition("NetworkUnavailable", "False", "CiliumIsUp", "Cilium is running on this node", ready, ready),
                    NodeCondition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", heartbeat, created),
                    NodeCondition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", heartbeat, created),
                    NodeCondition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", heartbeat, created),
                    NodeCondition("Ready", "True", "KubeletReady", "kubelet is posting ready status", heartbeat, ready)),
                ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = 10250 } },
                ["nodeInfo"] = new JsonObject
                {
                    ["architecture"] = "amd64",
                    ["bootID"] = SeedIds.Uid("boot/" + name),
                    ["containerRuntimeVersion"] = ContainerRuntime,
                    ["kernelVersion"] = KernelVersion,
                    ["kubeProxyVersion"] = "",
                    ["kubeletVersion"] = KubernetesVersion,
                    ["machineID"] = SeedIds.Hex("machine/" + name, 32),
                    ["operatingSystem"] = "linux",
                    ["osImage"] = $"Talos ({TalosVersion})",
                    ["systemUUID"] = SeedIds.Uid("system/" + name).ToUpperInvariant(),
                },
            },
        };
    }

    /// <summary>Kubelet node conditions carry a heartbeat besides the transition time.</summary>
    public static JsonObject NodeCondition(string type, string status, string reason, string message, string heartbeat, string transition) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["lastHeartbeatTime"] = heartbeat,
        ["lastTransitionTime"] = transition,
        ["reason"] = reason,
        ["message"] = message,
    };

    private static JsonObject Address(string type, string address) => new() { ["type"] = type, ["address"] = address };

    private static JsonObject Resources(string cpu, string memory, string storage) => new()
    {
        ["cpu"] = cpu,
        ["ephemeral-storage"] = storage,
        ["hugepages-1Gi"] = "0",
        ["hugepages-2Mi"] = "0",
        ["memory"] = memory,
        ["pods"] = "110",
    };
}
