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
    bool SendInitialEvents)
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
            SendInitialEvents: IsTrue(query["sendInitialEvents"]));
    }

    private static bool IsTrue(string? value) => value is "true" or "1" or "True";
}
