using System.Text.Json;

namespace HomeOps.Cluster.Tests.Health;

/// <summary>Locates the repository (walking up to HomeOps.Dashboard.sln) and loads fixture JSON.</summary>
internal static class Fixtures
{
    public static readonly string RepoRoot = FindRepoRoot();
    public static readonly string Root = Path.Combine(RepoRoot, "tests", "fixtures");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "HomeOps.Dashboard.sln"))) return dir.FullName;
        throw new InvalidOperationException($"HomeOps.Dashboard.sln not found above {AppContext.BaseDirectory}");
    }

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static bool Exists(string relative) => File.Exists(PathOf(relative));

    /// <summary>Parses a fixture; the returned element does not depend on a live JsonDocument.</summary>
    public static JsonElement Load(string relative)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(PathOf(relative)));
        return doc.RootElement.Clone();
    }

    /// <summary>Every *.json under the fixtures folder, as a path relative to it with forward slashes.</summary>
    public static IEnumerable<string> AllJsonFiles() =>
        Directory.EnumerateFiles(Root, "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);

    /// <summary>The objects of a document: the items of a <c>v1 List</c> (or any *List), else the document itself.</summary>
    public static IEnumerable<JsonElement> Objects(JsonElement doc)
    {
        if (doc.ValueKind == JsonValueKind.Object && doc.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String &&
            (k.GetString() ?? "").EndsWith("List", StringComparison.Ordinal) && doc.TryGetProperty("items", out var items) &&
            items.ValueKind == JsonValueKind.Array)
            return items.EnumerateArray().ToList();
        return [doc];
    }

    public static string NameOf(JsonElement obj) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object &&
        m.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() ?? "" : "";
}
