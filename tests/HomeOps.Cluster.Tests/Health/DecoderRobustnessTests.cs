using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Tests.Health;

/// <summary>
/// Seeded random mutations of every fixture (deleted fields, swapped types, huge strings, deep nesting, unicode,
/// markup in names) through every decoder: nothing may throw, and every input gets a verdict.
/// </summary>
public sealed class DecoderRobustnessTests
{
    private const int MutationsPerDocument = 40;
    private const string DeepMarker = "\u0001deep\u0001";
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-06-21T12:00:00Z");
    private static readonly JsonDocumentOptions Lenient = new() { MaxDepth = 4096 };

    private static readonly string[] HostileStrings =
    [
        "<script>alert('x')</script>", "\"><img src=x onerror=alert(1)>", "\u202Eevil\u202C", "名前-ノード-🚀", "\u200B\u200D\uFEFF",
        "line1\nline2\r\n\tline3", "\u001b[31mred\u001b[0m", "", " ", "True", "Unknown", "1.1344543744e+12", "-1", "NaN",
        "9999999999999999999999999999", "2026-13-45T99:99:99Z", "../../etc/passwd", "dependency 'a/b' is not ready", "'", "\\",
    ];

    [Fact]
    public void Random_mutations_of_every_fixture_never_throw_and_always_get_a_verdict()
    {
        var random = new Random(20260621);
        var documents = Fixtures.AllJsonFiles().Where(f => !f.StartsWith("discovery/", StringComparison.Ordinal))
            .Select(f => (File: f, Node: JsonNode.Parse(File.ReadAllText(Fixtures.PathOf(f)))!))
            .ToList();
        var inputs = 0;
        var malformed = 0;
        foreach (var (file, original) in documents)
        {
            for (var i = 0; i < MutationsPerDocument; i++)
            {
                var mutated = original.DeepClone();
                var steps = 1 + random.Next(3);
                var description = new List<string>();
                for (var s = 0; s < steps; s++) mutated = Mutate(mutated, random, description);
                var json = Render(mutated, random);
                using var doc = JsonDocument.Parse(json, Lenient);
                var ctx = $"{file} mutation {i}: {string.Join("; ", description)}";
                foreach (var obj in Fixtures.Objects(doc.RootElement).Append(doc.RootElement))
                {
                    malformed += CheckAll(obj, random, ctx);
                    inputs++;
                }
            }
        }
        Assert.True(inputs >= 2000, $"only {inputs} inputs");
        Assert.True(malformed > 0, "some mutations must hit the Malformed guard");
        TestContext.Current.TestOutputHelper?.WriteLine($"{inputs} mutated inputs, {malformed} decoded as Malformed");
    }

    [Fact]
    public void Non_object_roots_and_garbage_never_throw()
    {
        string[] docs = ["null", "true", "0", "1e308", "\"x\"", "[]", "[{}]", "{}", "{\"kind\":42}", "{\"apiVersion\":[],\"kind\":{}}",
            "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":null,\"status\":null,\"spec\":null}",
            "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"status\":{\"conditions\":[null,1,\"x\",[],{}]}}",
            "{\"kind\":\"Node\",\"status\":{\"diskStatus\":{\"d\":{\"conditions\":\"x\"}}}}",
            "{\"apiVersion\":\"longhorn.io/v1beta2\",\"kind\":\"Node\",\"status\":{\"diskStatus\":{\"d\":{\"storageMaximum\":1e400}}}}",
            "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"\\ud800\"}}"];
        var random = new Random(7);
        foreach (var d in docs)
        {
            using var doc = JsonDocument.Parse(d, Lenient);
            CheckAll(doc.RootElement, random, d);
        }
    }

    /// <summary>Decodes with the object's own kind, a random kind, and as Authentik objects; returns 1 when Malformed.</summary>
    private static int CheckAll(JsonElement obj, Random random, string ctx)
    {
        var malformed = 0;
        var own = Guard(() => ResourceDecoder.TryDecode(obj, Now), ctx);
        if (own is not null) malformed += Check(own, own.Kind, ctx);
        var kind = Kinds.Watched[random.Next(Kinds.Watched.Count)];
        malformed += Check(Guard(() => ResourceDecoder.Decode(kind, obj, Now), ctx)!, kind, ctx);
        Check(Guard(() => AuthentikDecoder.DecodeOutpost(obj, obj, Now), ctx)!, Kinds.AuthentikOutpost, ctx);
        Check(Guard(() => AuthentikDecoder.DecodeToken(obj, Now), ctx)!, Kinds.AuthentikToken, ctx);
        Guard(() => FluxGraph.Build([own ?? ResourceDecoder.Decode(Kinds.Kustomization, obj, Now)]).FailingRoots(), ctx);
        return malformed;
    }

    private static T Guard<T>(Func<T> f, string ctx)
    {
        try { return f(); }
        catch (Exception e) { throw new Xunit.Sdk.XunitException($"threw {e.GetType().Name} for {ctx}: {e.Message}"); }
    }

    private static int Check(ResourceSnapshot s, KindInfo kind, string ctx)
    {
        Assert.NotNull(s);
        Assert.Equal(kind.Key, s.Kind.Key);
        Assert.NotNull(s.Verdict);
        Assert.True(Enum.IsDefined(s.Verdict.Health), ctx);
        Assert.False(string.IsNullOrEmpty(s.Verdict.Reason), $"empty reason for {ctx}");
        Assert.NotNull(s.Verdict.Message);
        Assert.NotNull(s.Meta);
        Assert.NotNull(s.Details);
        Assert.False(s.Conditions.IsDefault, ctx);
        Assert.True(s.RawStatus.Length <= ObjectParts.RawStatusLimit + 100, $"raw status not bounded for {ctx}");
        return s.Verdict.Reason == ResourceDecoder.MalformedReason ? 1 : 0;
    }

    // ---------------------------------------------------------------- mutation engine

    private static JsonNode? Mutate(JsonNode? root, Random random, List<string> description)
    {
        var slots = new List<(JsonNode Parent, string? Key, int Index, string Path)>();
        Collect(root, "$", slots);
        if (slots.Count == 0 || random.Next(40) == 0)
        {
            description.Add("replace root");
            return RandomValue(random);
        }
        var (parent, key, index, path) = slots[random.Next(slots.Count)];
        var op = random.Next(8);
        switch (op)
        {
            case 0 when key is not null:
                description.Add($"delete {path}");
                ((JsonObject)parent).Remove(key);
                break;
            case 1:
                description.Add($"huge string at {path}");
                Set(parent, key, index, JsonValue.Create(new string('A', 70_000 + random.Next(100_000)) + HostileStrings[random.Next(HostileStrings.Length)]));
                break;
            case 2:
                description.Add($"deep nesting at {path}");
                Set(parent, key, index, JsonValue.Create(DeepMarker));
                break;
            case 3:
                description.Add($"hostile string at {path}");
                Set(parent, key, index, JsonValue.Create(HostileStrings[random.Next(HostileStrings.Length)]));
                break;
            case 4 when parent is JsonObject o:
                description.Add($"<script> name at {path}");
                o["name"] = "<script>alert(document.cookie)</script>🚀\u0000";
                break;
            case 5 when parent is JsonArray a:
                description.Add($"duplicate array item at {path}");
                a.Add(a[index]?.DeepClone());
                break;
            default:
                description.Add($"swap type at {path}");
                Set(parent, key, index, RandomValue(random));
                break;
        }
        return root;
    }

    private static void Collect(JsonNode? node, string path, List<(JsonNode, string?, int, string)> slots)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o.ToList())
                {
                    slots.Add((o, k, -1, $"{path}.{k}"));
                    Collect(v, $"{path}.{k}", slots);
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    slots.Add((a, null, i, $"{path}[{i}]"));
                    Collect(a[i], $"{path}[{i}]", slots);
                }
                break;
        }
    }

    private static void Set(JsonNode parent, string? key, int index, JsonNode? value)
    {
        if (parent is JsonObject o && key is not null) o[key] = value;
        else if (parent is JsonArray a && index >= 0 && index < a.Count) a[index] = value;
    }

    private static JsonNode? RandomValue(Random random) => random.Next(12) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create(random.NextInt64(long.MinValue, long.MaxValue)),
        3 => JsonValue.Create(1.1344543744e+12),
        4 => JsonValue.Create(-0.5),
        5 => new JsonArray(JsonValue.Create("x"), JsonValue.Create(1), null, new JsonObject()),
        6 => new JsonObject { ["type"] = "Ready", ["status"] = "True" },
        7 => new JsonObject(),
        8 => new JsonArray(),
        9 => JsonValue.Create(double.MaxValue),
        _ => JsonValue.Create(HostileStrings[random.Next(HostileStrings.Length)]),
    };

    /// <summary>Serializes, then expands the deep-nesting marker into a few hundred nested arrays and objects.</summary>
    private static string Render(JsonNode? node, Random random)
    {
        var json = node is null ? "null" : node.ToJsonString();
        var marker = JsonSerializer.Serialize(DeepMarker);
        if (!json.Contains(marker, StringComparison.Ordinal)) return json;
        var depth = 200 + random.Next(800);
        var sb = new StringBuilder();
        for (var i = 0; i < depth; i++) sb.Append(i % 2 == 0 ? "[" : "{\"status\":");
        sb.Append("\"bottom\"");
        for (var i = depth - 1; i >= 0; i--) sb.Append(i % 2 == 0 ? "]" : "}");
        return json.Replace(marker, sb.ToString(), StringComparison.Ordinal);
    }
}
