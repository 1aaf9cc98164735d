using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HomeOps.Deploy.Tests.Manifests;

/// <summary>The objects <c>kubectl kustomize</c> renders, as JSON nodes for easy querying.</summary>
public sealed class Rendered(IReadOnlyList<JsonObject> objects)
{
    public IReadOnlyList<JsonObject> Objects { get; } = objects;

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => Str(o, "kind") == kind);

    public JsonObject Single(string kind, string? name = null) =>
        Assert.Single(OfKind(kind), o => name is null || Str(o, "metadata", "name") == name);

    /// <summary>Renders a kustomization directory with the real kubectl (a process), failing with its stderr.</summary>
    public static async Task<Rendered> RenderAsync(string directory)
    {
        var result = await ProcessRunner.RunAsync(Kubectl, ["kustomize", directory], directory, TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.Describe("kubectl kustomize"));
        return Parse(result.StandardOutput);
    }

    public static string Kubectl => Environment.GetEnvironmentVariable("HOMEOPS_KUBECTL") ?? "kubectl";

    public static Rendered Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var objects = stream.Documents
            .Where(d => d.RootNode is YamlMappingNode)
            .Select(d => (JsonObject)ToJson(d.RootNode)!)
            .ToList();
        return new Rendered(objects);
    }

    /// <summary>YAML → JSON with YAML 1.2 core-schema typing of plain scalars (what the API server would see).</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", ToJson(kv.Value)))),
        YamlSequenceNode s => new JsonArray([.. s.Children.Select(ToJson)]),
        YamlScalarNode { Style: ScalarStyle.Plain } p => p.Value switch
        {
            null or "null" or "~" or "" => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            var v when long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            var v => JsonValue.Create(v),
        },
        YamlScalarNode q => JsonValue.Create(q.Value ?? ""),
        _ => null,
    };

    public static string? Str(JsonNode? node, params string[] path)
    {
        foreach (var p in path) node = node is JsonObject o ? o[p] : null;
        return node is JsonValue v ? v.ToString() : null;
    }

    public static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var p in path) node = node is JsonObject o ? o[p] : null;
        return node;
    }

    public static IEnumerable<JsonNode> Items(JsonNode? node, params string[] path) =>
        At(node, path) is JsonArray a ? a.Where(x => x is not null).Select(x => x!) : [];
}
