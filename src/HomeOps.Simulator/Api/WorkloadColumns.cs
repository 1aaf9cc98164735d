using System.Text.Json.Nodes;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.Api;

/// <summary>
/// The API server's own table columns for the workload kinds (<c>pkg/printers/internalversion</c>), so
/// <c>kubectl get pods,events -A</c> against the simulator prints what it prints against a real cluster.
/// </summary>
internal static class WorkloadColumns
{
    public static PrinterColumn[] Pod(PrinterColumn age) =>
    [
        new("Ready", "string", "The aggregate readiness state of this pod for accepting traffic.", (o, _) => PodReady(o)),
        new("Status", "string", "The aggregate status of the containers in this pod.", (o, _) => PodStatus(o)),
        new("Restarts", "string", "The number of times the containers in this pod have been restarted.", (o, _) => Statuses(o).Sum(c => (int)ObjectJson.Number(c["restartCount"])).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        age,
        new("IP", "string", "The IP address assigned to this pod.", (o, _) => o["status"].String("podIP") ?? "<none>", 1),
        new("Node", "string", "The name of the node this pod is assigned to.", (o, _) => o["spec"].String("nodeName") ?? "<none>", 1),
    ];

    public static PrinterColumn[] Deployment(PrinterColumn age) =>
    [
        new("Ready", "string", "Number of the pod with ready state", (o, _) => $"{Int(o["status"]?["readyReplicas"])}/{Int(o["spec"]?["replicas"], 1)}"),
        new("Up-to-date", "integer", "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", (o, _) => Int(o["status"]?["updatedReplicas"])),
        new("Available", "integer", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", (o, _) => Int(o["status"]?["availableReplicas"])),
        age,
    ];

    public static PrinterColumn[] DaemonSet(PrinterColumn age) =>
    [
        new("Desired", "integer", "The total number of nodes that should be running the daemon pod.", (o, _) => Int(o["status"]?["desiredNumberScheduled"])),
        new("Current", "integer", "The number of nodes that are running at least 1 daemon pod.", (o, _) => Int(o["status"]?["currentNumberScheduled"])),
        new("Ready", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.", (o, _) => Int(o["status"]?["numberReady"])),
        new("Up-to-date", "integer", "The total number of nodes that are running updated daemon pod", (o, _) => Int(o["status"]?["updatedNumberScheduled"])),
        new("Available", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.", (o, _) => Int(o["status"]?["numberAvailable"])),
        new("Node Selector", "string", "NodeSelector is a selector which must be true for the pod to fit on a node.", (_, _) => "<none>"),
        age,
    ];

    public static PrinterColumn[] StatefulSet(PrinterColumn age) =>
    [
        new("Ready", "string", "Number of the pod with ready state", (o, _) => $"{Int(o["status"]?["readyReplicas"])}/{Int(o["spec"]?["replicas"], 1)}"),
        age,
    ];

    public static PrinterColumn[] Job(PrinterColumn age) =>
    [
        new("Status", "string", "Status of the job.", (o, _) => o.Condition("Failed")?.String("status") == "True" ? "Failed" : o.Condition("Complete")?.String("status") == "True" ? "Complete" : "Running"),
        new("Completions", "string", "The desired number of successfully finished pods the job should be run with.", (o, _) => $"{Int(o["status"]?["succeeded"])}/{Int(o["spec"]?["completions"], 1)}"),
        age,
    ];

    /// <summary>Events print without a Name column first: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE.</summary>
    public static readonly PrinterColumn[] Event =
    [
        new("Last Seen", "string", "Time when last event occurred", (o, now) => LastSeen(o, now)),
        new("Type", "string", "Type of the event", (o, _) => o.String("type")),
        new("Reason", "string", "Reason of the event", (o, _) => o.String("reason")),
        new("Object", "string", "Object this event is about", (o, _) => $"{(o["regarding"].String("kind") ?? "").ToLowerInvariant()}/{o["regarding"].String("name")}"),
        new("Message", "string", "Message of the event", (o, _) => o.String("note")),
        new("Name", "string", "Name must be unique within a namespace.", (o, _) => o.Name(), 1),
    ];

    private static string LastSeen(JsonObject e, DateTimeOffset now)
    {
        var at = e["series"].String("lastObservedTime") ?? e.String("eventTime") ?? e.String("deprecatedLastTimestamp") ?? e["metadata"].String("creationTimestamp");
        return DateTimeOffset.TryParse(at, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
            ? PrinterColumns.HumanDuration(now - t) : "<unknown>";
    }

    private static int Int(JsonNode? node, int fallback = 0) => node is null ? fallback : (int)ObjectJson.Number(node);

    private static IEnumerable<JsonObject> Statuses(JsonObject pod) =>
        (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>();

    private static string PodReady(JsonObject pod)
    {
        var statuses = Statuses(pod).ToList();
        var total = Math.Max(statuses.Count, (pod["spec"]?["containers"] as JsonArray)?.Count ?? 0);
        return $"{statuses.Count(c => c["ready"] is JsonValue v && v.TryGetValue<bool>(out var r) && r)}/{total}";
    }

    /// <summary>kubectl's STATUS: the pod's reason (Evicted), else a container's waiting or terminated reason, else the phase.</summary>
    private static string PodStatus(JsonObject pod)
    {
        if (pod["status"].String("reason") is { Length: > 0 } reason) return reason;
        foreach (var c in Statuses(pod))
        {
            if (c["state"]?["waiting"].String("reason") is { Length: > 0 } waiting) return waiting;
            if (c["state"]?["terminated"].String("reason") is { Length: > 0 } terminated) return terminated;
        }
        return pod["status"].String("phase") ?? "Unknown";
    }
}
