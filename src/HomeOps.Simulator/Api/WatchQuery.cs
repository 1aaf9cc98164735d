using System.Globalization;
using HomeOps.Simulator.Store;
using Microsoft.AspNetCore.Http;

namespace HomeOps.Simulator.Api;

/// <summary>The query parameters of a list or watch request.</summary>
internal sealed record WatchQuery(
    bool Watch,
    string? ResourceVersion,
    LabelSelector Labels,
    FieldSelector Fields,
    bool AllowBookmarks,
    TimeSpan? Timeout,
    bool SendInitialEvents,
    int? Limit = null,
    string? Continue = null)
{
    public static WatchQuery From(IQueryCollection query)
    {
        var timeout = int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : (TimeSpan?)null;
        return new WatchQuery(
            Watch: IsTrue(query["watch"]),
            ResourceVersion: query["resourceVersion"].FirstOrDefault(),
            Labels: LabelSelector.Parse(query["labelSelector"]),
            Fields: FieldSelector.Parse(query["fieldSelector"]),
            AllowBookmarks: IsTrue(query["allowWatchBookmarks"]),
            Timeout: timeout,
            SendInitialEvents: IsTrue(query["sendInitialEvents"]),
            // A limit of 0 (or none) means "everything", as on the API server; a negative one is not a limit either.
            Limit: long.TryParse(query["limit"], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var limit) && limit > 0
                ? (int)Math.Min(limit, int.MaxValue)
                : null,
            Continue: query["continue"].FirstOrDefault() is { Length: > 0 } token ? token : null);
    }

    private static bool IsTrue(string? value) => value is "true" or "1" or "True";
}
