using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.Api;

/// <summary>Builds a <c>&lt;Kind&gt;List</c> body: items carry apiVersion/kind, metadata carries the list's resourceVersion.</summary>
internal static class ListResponse
{
    public static JsonObject Build(KindInfo kind, ObjectList list)
    {
        var items = new JsonArray();
        foreach (var item in list.Items) items.Add(item);
        return new JsonObject
        {
            ["kind"] = kind.Kind + "List",
            ["apiVersion"] = kind.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = list.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["items"] = items,
        };
    }
}
