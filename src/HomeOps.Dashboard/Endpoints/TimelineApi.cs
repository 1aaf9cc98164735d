using HomeOps.Dashboard.Auth;
using HomeOps.Operations.Timeline;

namespace HomeOps.Dashboard.Endpoints;

/// <summary><c>GET /api/v1/timeline</c>: the change timeline, newest first, for viewers.</summary>
public static class TimelineApi
{
    public const string Path = "/api/v1/timeline";

    /// <summary>
    /// Query: <c>since</c> (30m, 1h, 7d; default 1h), <c>area</c>, <c>object</c> (part of namespace/name), <c>category</c>
    /// (Health, Revision, Chart, Reboot, Version, Warning, Action), <c>take</c> (1–5000, default 500). Bad values → 400 with the reason.
    /// </summary>
    public static IEndpointRouteBuilder MapTimelineApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, async (string? since, string? area, string? @object, string? category, int? take, ITimelineLog log, TimeProvider time, CancellationToken ct) =>
            {
                var span = TimeSpan.FromHours(1);
                if (since is not null && !TimelineSince.TryParse(since, out span))
                    return Results.Problem($"since: expected {TimelineSince.Expected}", statusCode: StatusCodes.Status400BadRequest);
                TimelineCategory? cat = null;
                if (!string.IsNullOrWhiteSpace(category))
                {
                    if (!Enum.TryParse<TimelineCategory>(category, ignoreCase: true, out var c) || !Enum.IsDefined(c))
                        return Results.Problem($"category: expected one of {string.Join(", ", Enum.GetNames<TimelineCategory>())}", statusCode: StatusCodes.Status400BadRequest);
                    cat = c;
                }
                if (take is < 1 or > EfTimelineLog.MaxTake)
                    return Results.Problem($"take: expected 1 to {EfTimelineLog.MaxTake}", statusCode: StatusCodes.Status400BadRequest);
                var now = time.GetUtcNow();
                var entries = await log.QueryAsync(new TimelineQuery(Blank(area), Blank(@object), now - span, null, cat, take ?? 500), ct);
                return Results.Json(new { since = now - span, entries = entries.Select(TimelineItem.Of) });
            })
            .RequireAuthorization(Policies.Viewer)
            .WithName("api-timeline");
        return app;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
