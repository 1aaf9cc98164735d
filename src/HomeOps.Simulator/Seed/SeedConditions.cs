using System.Text.Json.Nodes;

namespace HomeOps.Simulator.Seed;

/// <summary>Builders for <c>metav1.Condition</c>-style entries.</summary>
internal static class SeedConditions
{
    public static JsonObject Condition(string type, string status, string reason, string message, string lastTransitionTime,
        long? observedGeneration = null)
    {
        var condition = new JsonObject
        {
            ["lastTransitionTime"] = lastTransitionTime,
            ["message"] = message,
        };
        if (observedGeneration is { } generation) condition["observedGeneration"] = generation;
        condition["reason"] = reason;
        condition["status"] = status;
        condition["type"] = type;
        return condition;
    }

    /// <summary>Longhorn's condition shape: always carries lastProbeTime (empty) and reason/message (possibly empty).</summary>
    public static JsonObject Longhorn(string type, string status, string lastTransitionTime, string message = "", string reason = "") => new()
    {
        ["lastProbeTime"] = "",
        ["lastTransitionTime"] = lastTransitionTime,
        ["message"] = message,
        ["reason"] = reason,
        ["status"] = status,
        ["type"] = type,
    };
}
