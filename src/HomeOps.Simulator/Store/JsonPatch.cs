using System.Text.Json.Nodes;

namespace HomeOps.Simulator.Store;

/// <summary>RFC 6902 JSON Patch: add, remove, replace, move, copy, test (with RFC 6901 pointers).</summary>
public static class JsonPatch
{
    /// <exception cref="ApiException">422 Invalid when an operation cannot be applied.</exception>
    public static JsonNode Apply(JsonNode document, JsonNode? patch)
    {
        if (patch is not JsonArray operations) throw ApiException.BadRequest("json patch must be an array of operations");
        var root = document.DeepClone();
        foreach (var node in operations)
        {
            if (node is not JsonObject op) throw ApiException.BadRequest("json patch operation must be an object");
            var name = Text(op, "op");
            var path = Text(op, "path");
            switch (name)
            {
                case "add":
                    root = Add(root, path, Value(op));
                    break;
                case "remove":
                    root = Remove(root, path, out _);
                    break;
                case "replace":
                    root = Remove(root, path, out _);
                    root = Add(root, path, Value(op));
                    break;
                case "move":
                {
                    var from = Text(op, "from");
                    root = Remove(root, from, out var moved);
                    root = Add(root, path, moved);
                    break;
                }
                case "copy":
                    root = Add(root, path, Resolve(root, Text(op, "from"))?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Resolve(root, path), op["value"]))
                    {
                        throw ApiException.Invalid($"the server rejected our request due to an error in our request: testing value at {path} failed");
                    }
                    break;
                default:
                    throw ApiException.BadRequest($"unknown json patch operation \"{name}\"");
            }
        }
        return root;
    }

    private static string Text(JsonObject op, string field) =>
        op[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw ApiException.BadRequest($"json patch operation lacks \"{field}\"");

    private static JsonNode? Value(JsonObject op) =>
        op.ContainsKey("value") ? op["value"]?.DeepClone() : throw ApiException.BadRequest("json patch operation lacks \"value\"");

    private static string[] Tokens(string pointer)
    {
        if (pointer.Length == 0) return [];
        if (pointer[0] != '/') throw ApiException.Invalid($"invalid json pointer \"{pointer}\"");
        return pointer[1..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")).ToArray();
    }

    private static JsonNode? Resolve(JsonNode? root, string pointer) => Resolve(root, Tokens(pointer), pointer);

    private static JsonNode? Resolve(JsonNode? root, IEnumerable<string> tokens, string pointer)
    {
        var node = root;
        foreach (var token in tokens)
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) => child,
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw ApiException.Invalid($"json patch path \"{pointer}\" does not exist"),
            };
        }
        return node;
    }

    private static JsonNode Add(JsonNode root, string pointer, JsonNode? value)
    {
        var tokens = Tokens(pointer);
        if (tokens.Length == 0) return value ?? throw ApiException.Invalid("cannot replace the document with null");
        var parent = Resolve(root, tokens[..^1], pointer);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw ApiException.Invalid($"json patch path \"{pointer}\" does not exist");
        }
        return root;
    }

    private static JsonNode Remove(JsonNode root, string pointer, out JsonNode? removed)
    {
        var tokens = Tokens(pointer);
        if (tokens.Length == 0) throw ApiException.Invalid("cannot remove the whole document");
        var parent = Resolve(root, tokens[..^1], pointer);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(last, out var child):
                o.Remove(last);
                removed = child;
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                removed = a[i];
                a.RemoveAt(i);
                break;
            default:
                throw ApiException.Invalid($"json patch path \"{pointer}\" does not exist");
        }
        return root;
    }
}
