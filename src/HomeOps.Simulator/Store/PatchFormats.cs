using HomeOps.Cluster.Model;

namespace HomeOps.Simulator.Store;

public enum PatchFormat { Merge, StrategicMerge, Json }

/// <summary>Maps a PATCH request's Content-Type to a patch format, with the API server's rules per kind.</summary>
public static class PatchFormats
{
    public const string MergePatch = "application/merge-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";
    public const string JsonPatchType = "application/json-patch+json";

    public static PatchFormat Parse(string? contentType, KindInfo kind)
    {
        var mediaType = (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        return mediaType switch
        {
            MergePatch => PatchFormat.Merge,
            JsonPatchType => PatchFormat.Json,
            // Strategic merge needs the Go struct tags of built-in types; custom resources reject it (kubectl
            // annotate/label use merge patch for them, and strategic merge only for built-in kinds like Node).
            StrategicMergePatch when kind.Group.Length == 0 => PatchFormat.StrategicMerge,
            _ => throw ApiException.UnsupportedMediaType(
                $"the body of the request was in an unknown format - accepted media types include: {JsonPatchType}, {MergePatch}"
                + (kind.Group.Length == 0 ? $", {StrategicMergePatch}" : "")),
        };
    }
}
