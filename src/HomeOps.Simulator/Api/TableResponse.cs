using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Store;
using Microsoft.AspNetCore.Http;

namespace HomeOps.Simulator.Api;

/// <summary>
/// Server-side printing: when kubectl asks for <c>as=Table;g=meta.k8s.io</c>, answer a <c>meta.k8s.io/v1 Table</c>
/// so <c>kubectl get</c> shows the usual columns (a node's STATUS, a Kustomization's READY and message).
/// Watches stay plain JSON events, which kubectl also prints.
/// </summary>
internal static class TableResponse
{
    public static bool Requested(HttpRequest request)
    {
        foreach (var accept in request.Headers.Accept)
        {
            if (accept is null) continue;
            // The first acceptable media type wins; kubectl lists Table first and plain JSON last.
            var first = accept.Split(',')[0];
            return first.Contains("as=Table", StringComparison.Ordinal) && first.Contains("g=meta.k8s.io", StringComparison.Ordinal);
        }
        return false;
    }

    public enum IncludeObject { None, Metadata, Object }

    /// <summary>The <c>includeObject</c> parameter: what each row carries besides its cells (metadata by default).</summary>
    public static IncludeObject Include(HttpRequest request) => request.Query["includeObject"].ToString() switch
    {
        "None" => IncludeObject.None,
        "Object" => IncludeObject.Object,
        _ => IncludeObject.Metadata,
    };

    public static JsonObject Build(KindInfo kind, IEnumerable<JsonObject> objects, long resourceVersion, DateTimeOffset now, IncludeObject include)
    {
        var columns = PrinterColumns.For(kind);
        var definitions = new JsonArray();
        foreach (var column in columns)
        {
            definitions.Add(new JsonObject
            {
                ["name"] = column.Name,
                ["type"] = column.Type,
                ["format"] = column.Name == "Name" ? "name" : "",
                ["description"] = column.Description,
                ["priority"] = column.Priority,
            });
        }
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var cells = new JsonArray();
            foreach (var column in columns) cells.Add(column.Cell(obj, now)?.DeepClone());
            var row = new JsonObject { ["cells"] = cells };
            if (include != IncludeObject.None) row["object"] = include == IncludeObject.Object ? obj.DeepClone() : PartialMetadata(obj);
            rows.Add(row);
        }
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["columnDefinitions"] = definitions,
            ["rows"] = rows,
        };
    }

    private static JsonObject PartialMetadata(JsonObject obj) => new()
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = "meta.k8s.io/v1",
        ["metadata"] = obj["metadata"]?.DeepClone(),
    };
}
