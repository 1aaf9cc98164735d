using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.Api;

/// <summary>
/// Builds a <c>&lt;Kind&gt;List</c> body: items carry apiVersion/kind, metadata carries the list's resourceVersion and,
/// for a page of a paged list, the continue token and the remaining count.
/// </summary>
internal static class ListResponse
{
    public static JsonObject Build(KindInfo kind, ObjectList list)
    {
        var items = new JsonArray();
        foreach (var item in list.Items) items.Add(item);
        return Page(new JsonObject
        {
            ["kind"] = kind.Kind + "List",
            ["apiVersion"] = kind.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = list.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["items"] = items,
        }, list);
    }

    /// <summary>Adds the paging fields of <c>ListMeta</c> (<c>continue</c>, <c>remainingItemCount</c>) when the list has more pages.</summary>
    public static JsonObject Page(JsonObject body, ObjectList list)
    {
        if (list.Continue is null || body["metadata"] is not JsonObject meta) return body;
        meta["continue"] = list.Continue;
        if (list.RemainingItemCount is { } remaining) meta["remainingItemCount"] = remaining;
        return body;
    }
}
