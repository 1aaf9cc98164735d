using System.Text.Json;
using System.Text.Json.Nodes;
using HomeOps.Simulator.Store;
using Microsoft.Extensions.Logging;

namespace HomeOps.Simulator.Seed;

/// <summary>A seed file that cannot be read; the message names the file.</summary>
public sealed class SeedLoadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads a folder of <c>kubectl get -o json</c> dumps (every <c>*.json</c>): single objects or lists (<c>List</c>
/// or <c>&lt;Kind&gt;List</c>, whose items may lack apiVersion/kind when they come straight from the API).
/// Objects of kinds the simulator does not serve are skipped with a warning; a served kind at another version
/// (e.g. BGPv2 kinds dumped at <c>cilium.io/v2</c>) is stored at the served version.
/// </summary>
public static class SeedDirectoryLoader
{
    public static IReadOnlyList<JsonObject> Load(string directory, ILogger logger)
    {
        if (!Directory.Exists(directory)) throw new SeedLoadException($"Seed directory '{directory}' does not exist");
        var objects = new List<JsonObject>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            foreach (var obj in ObjectsIn(file))
            {
                var apiVersion = obj.String("apiVersion");
                var kind = obj.String("kind");
                var served = ServedKinds.FindAnyVersion(apiVersion, kind);
                if (served is null)
                {
                    logger.LogWarning("Seed file {File}: skipping {Kind} ({ApiVersion}) {Name}: not a kind the simulator serves",
                        Path.GetFileName(file), kind, apiVersion, obj.Name());
                    continue;
                }
                if (string.IsNullOrEmpty(obj.Name()))
                {
                    throw new SeedLoadException($"Seed file '{file}': a {kind} has no metadata.name");
                }
                if (served.ApiVersion != apiVersion)
                {
                    logger.LogInformation("Seed file {File}: serving {Kind} {Name} from {ApiVersion} at {Served}",
                        Path.GetFileName(file), kind, obj.Name(), apiVersion, served.ApiVersion);
                    obj["apiVersion"] = served.ApiVersion;
                }
                objects.Add(obj);
            }
        }
        logger.LogInformation("Loaded {Count} objects from seed directory {Directory}", objects.Count, directory);
        return objects;
    }

    private static IEnumerable<JsonObject> ObjectsIn(string file)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(file), documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new SeedLoadException($"Seed file '{file}' is not valid JSON: {e.Message}", e);
        }
        if (root is not JsonObject top || top.String("kind") is not { } kind)
        {
            throw new SeedLoadException($"Seed file '{file}' is not a Kubernetes object or list (no \"kind\")");
        }
        if (!kind.EndsWith("List", StringComparison.Ordinal) || top["items"] is null) return [top];
        if (top["items"] is not JsonArray items)
        {
            throw new SeedLoadException($"Seed file '{file}': \"items\" is not an array");
        }
        // Items of a typed list (e.g. NodeList straight from the API) carry no apiVersion/kind of their own.
        var itemKind = kind == "List" ? null : kind[..^"List".Length];
        var listApiVersion = top.String("apiVersion");
        var result = new List<JsonObject>();
        foreach (var item in items)
        {
            if (item is not JsonObject obj) throw new SeedLoadException($"Seed file '{file}': a list item is not an object");
            var copy = (JsonObject)obj.DeepClone();
            if (copy.String("kind") is null && itemKind is not null) copy["kind"] = itemKind;
            if (copy.String("apiVersion") is null && listApiVersion is not null) copy["apiVersion"] = listApiVersion;
            if (copy.String("kind") is null) throw new SeedLoadException($"Seed file '{file}': a list item has no \"kind\"");
            result.Add(copy);
        }
        return result;
    }
}
