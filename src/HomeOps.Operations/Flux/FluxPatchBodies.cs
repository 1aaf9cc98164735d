using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HomeOps.Operations.Flux;

/// <summary>
/// The JSON merge-patch bodies (RFC 7386) for Flux actions — exactly what <c>flux reconcile/suspend/resume</c> change:
/// the <c>reconcile.fluxcd.io/requestedAt</c> annotation (any new value triggers a reconcile) and <c>spec.suspend</c>.
/// Who and why are recorded in annotations; <c>null</c> removes an annotation in a merge patch.
/// </summary>
public static class FluxPatchBodies
{
    public const string RequestedAt = "reconcile.fluxcd.io/requestedAt";
    public const string SuspendedBy = "homeops.dashboard/suspended-by";
    public const string SuspendReason = "homeops.dashboard/suspend-reason";
    public const string SuspendedAt = "homeops.dashboard/suspended-at";
    public const string ResumedBy = "homeops.dashboard/resumed-by";
    public const string ResumeReason = "homeops.dashboard/resume-reason";
    public const string ResumedAt = "homeops.dashboard/resumed-at";

    /// <summary>RFC 3339 in UTC with the fractional seconds Go's RFC3339Nano would print (trailing zeros trimmed).</summary>
    public static string Rfc3339(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static string Reconcile(DateTimeOffset at) =>
        Serialize(new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [RequestedAt] = Rfc3339(at) } } });

    public static string Suspend(string who, string why, DateTimeOffset at) =>
        Serialize(new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["annotations"] = new JsonObject
                {
                    [SuspendedBy] = who,
                    [SuspendReason] = why,
                    [SuspendedAt] = Rfc3339(at),
                    [ResumedBy] = null,
                    [ResumeReason] = null,
                    [ResumedAt] = null,
                },
            },
            ["spec"] = new JsonObject { ["suspend"] = true },
        });

    public static string Resume(string who, string? why, DateTimeOffset at) => Serialize(ResumeBody(who, why, at, reconcile: false));

    /// <summary>One patch: resume and request a reconcile at once (a reconcile request on a suspended object is ignored).</summary>
    public static string ResumeAndReconcile(string who, string? why, DateTimeOffset at) => Serialize(ResumeBody(who, why, at, reconcile: true));

    private static JsonObject ResumeBody(string who, string? why, DateTimeOffset at, bool reconcile)
    {
        var annotations = new JsonObject
        {
            [SuspendedBy] = null,
            [SuspendReason] = null,
            [SuspendedAt] = null,
            [ResumedBy] = who,
            [ResumeReason] = string.IsNullOrWhiteSpace(why) ? null : why,
            [ResumedAt] = Rfc3339(at),
        };
        if (reconcile) annotations[RequestedAt] = Rfc3339(at);
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = annotations },
            ["spec"] = new JsonObject { ["suspend"] = false },
        };
    }

    private static string Serialize(JsonObject o) => o.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
