using System.Text.Json;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;

namespace HomeOps.Cli.Sources;

/// <summary>
/// Offline source: every <c>*.json</c> file under a folder (sub-folders included), each a single object or a
/// <c>v1 List</c> / <c>*List</c> with <c>items</c>, as <c>kubectl get -o json</c> writes them.
/// Files that hold no kind we read are skipped with a note; a file that is not valid JSON is bad input.
/// </summary>
public static class DirectorySource
{
    public static SourceResult Read(string directory, DateTimeOffset now, TextWriter notes)
    {
        if (!Directory.Exists(directory))
            throw new BadInputException(File.Exists(directory) ? $"--from {directory}: is a file, expected a folder" : $"--from {directory}: folder not found");

        var snapshots = new List<ResourceSnapshot>();
        var files = Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var display = Path.GetRelativePath(directory, file);
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(File.ReadAllBytes(file), new JsonDocumentOptions { MaxDepth = 256 });
            }
            catch (JsonException e)
            {
                throw new BadInputException($"{file}: malformed JSON ({e.Message})");
            }
            catch (IOException e)
            {
                throw new BadInputException($"{file}: cannot be read ({e.Message})");
            }
            catch (UnauthorizedAccessException e)
            {
                throw new BadInputException($"{file}: cannot be read ({e.Message})");
            }

            using (doc)
            {
                var read = 0;
                var skipped = new List<string>();
                foreach (var obj in Objects(doc.RootElement))
                {
                    if (ResourceDecoder.KindOf(obj) is { } kind)
                    {
                        snapshots.Add(ResourceDecoder.Decode(kind, obj, now));
                        read++;
                    }
                    else
                    {
                        skipped.Add(Describe(obj));
                    }
                }
                if (skipped.Count > 0)
                    notes.WriteLine($"note: {display}: skipped {string.Join(", ", skipped.Distinct())}{(read > 0 ? $" ({read} read)" : "")}");
            }
        }
        // A dump holds what it holds: each kind found is taken as its complete list (so a missing expected node is reported).
        return new SourceResult(snapshots, Incomplete: false, snapshots.Select(s => s.Kind).DistinctBy(k => k.Key).ToList(), []);
    }

    /// <summary>The objects of a document. Items of a typed list (<c>KustomizationList</c>) may omit apiVersion/kind: they get the list's.</summary>
    private static IEnumerable<JsonElement> Objects(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return [root];
        var kind = root.Prop("kind").Str("");
        if (!kind.EndsWith("List", StringComparison.Ordinal) || root.Prop("items") is not { ValueKind: JsonValueKind.Array } items)
            return [root];
        var itemKind = kind == "List" ? null : kind[..^"List".Length];
        var apiVersion = root.Prop("apiVersion").Str();
        return items.EnumerateArray().Select(i => itemKind is null ? i : WithTypeMeta(i, apiVersion, itemKind)).ToList();
    }

    private static JsonElement WithTypeMeta(JsonElement item, string? apiVersion, string kind)
    {
        if (item.ValueKind != JsonValueKind.Object || (item.Prop("kind") is not null && item.Prop("apiVersion") is not null)) return item;
        var copy = new Dictionary<string, JsonElement>();
        foreach (var p in item.EnumerateObject()) copy[p.Name] = p.Value;
        copy.TryAdd("kind", JsonSerializer.SerializeToElement(kind));
        if (apiVersion is not null) copy.TryAdd("apiVersion", JsonSerializer.SerializeToElement(apiVersion));
        return JsonSerializer.SerializeToElement(copy);
    }

    private static string Describe(JsonElement obj)
    {
        if (obj.ValueKind != JsonValueKind.Object) return $"not a Kubernetes object ({JsonRead.Describe(obj)})";
        var kind = obj.Prop("kind").Str();
        if (kind is null) return "not a Kubernetes object (no kind)";
        var apiVersion = obj.Prop("apiVersion").Str("?");
        return $"{Terminal.Clean(apiVersion)} {Terminal.Clean(kind)} (not a kind homeops reads)";
    }
}
