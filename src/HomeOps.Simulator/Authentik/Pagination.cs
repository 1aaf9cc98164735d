using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace HomeOps.Simulator.Authentik;

/// <summary>
/// Authentik's list envelope (<c>authentik/api/pagination.py</c>): <c>next</c>/<c>previous</c> are page numbers with 0
/// for none, indexes are 1-based, and a page past the end is a 404 <c>Invalid page.</c>, as Django's paginator says.
/// </summary>
internal static class Pagination
{
    private const int DefaultPageSize = 100;

    /// <summary>The page envelope, or null for an invalid page number.</summary>
    public static JsonObject? Page(IReadOnlyList<JsonObject> all, IQueryCollection query)
    {
        var size = int.TryParse(query["page_size"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : DefaultPageSize;
        var page = query.ContainsKey("page") ? (int.TryParse(query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : -1) : 1;
        var count = all.Count;
        var totalPages = Math.Max(1, (count + size - 1) / size);
        if (page < 1 || page > totalPages) return null;
        var items = all.Skip((page - 1) * size).Take(size).ToList();
        var results = new JsonArray();
        foreach (var item in items) results.Add(item);
        return new JsonObject
        {
            ["pagination"] = new JsonObject
            {
                ["next"] = page < totalPages ? page + 1 : 0,
                ["previous"] = page > 1 ? page - 1 : 0,
                ["count"] = count,
                ["current"] = page,
                ["total_pages"] = totalPages,
                ["start_index"] = count == 0 ? 0 : (page - 1) * size + 1,
                ["end_index"] = count == 0 ? 0 : (page - 1) * size + items.Count,
            },
            ["results"] = results,
        };
    }
}
