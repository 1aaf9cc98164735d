using System.Text.Json.Nodes;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.Scenarios;

/// <summary>Sets a <c>status.conditions[type=…]</c> entry the way controllers do: the transition time moves only when the status changes.</summary>
internal static class Conditions
{
    public static void Set(JsonObject obj, string type, string status, string reason, string message, string now)
    {
        if (obj["status"] is not JsonObject statusNode)
        {
            statusNode = new JsonObject();
            obj["status"] = statusNode;
        }
        if (statusNode["conditions"] is not JsonArray conditions)
        {
            conditions = new JsonArray();
            statusNode["conditions"] = conditions;
        }
        var condition = conditions.OfType<JsonObject>().FirstOrDefault(c => c.String("type") == type);
        if (condition is null)
        {
            condition = new JsonObject { ["type"] = type };
            conditions.Add(condition);
        }
        if (condition.String("status") != status || condition["lastTransitionTime"] is null) condition["lastTransitionTime"] = now;
        if (condition.ContainsKey("lastHeartbeatTime")) condition["lastHeartbeatTime"] = now;
        if (condition.ContainsKey("observedGeneration") && obj.Generation() is { } generation) condition["observedGeneration"] = generation;
        condition["message"] = message;
        condition["reason"] = reason;
        condition["status"] = status;
    }
}
