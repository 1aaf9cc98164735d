using System.Text;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;

namespace HomeOps.Simulator.Faults;

/// <summary>Lines a damaged watch stream carries instead of (or next to) its events.</summary>
public static class HostileLines
{
    /// <summary>kube-apiserver refuses JSON nested deeper than this (k8s.io/apimachinery's decoder limit).</summary>
    public const int ApiServerMaxDepth = 10_000;

    private static readonly string[] Garbage =
    [
        "not json at all <script>alert(1)</script>",
        "{\"type\":\"MODIFIED\",\"object\":",
        "\u001b[31m{\"type\":\"ADDED\"}\u001b[0m garbage",
        "}{][",
        "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"\ud800\"}}", // lone surrogate, unbalanced braces
        "HTTP/1.1 502 Bad Gateway",
    ];

    /// <summary>A line that is not JSON (or not a complete JSON value).</summary>
    public static byte[] GarbageLine(Random random)
    {
        var text = Garbage[random.Next(Garbage.Length)];
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(text));
        if (random.Next(3) == 0) bytes.AddRange([0xFF, 0xFE, 0x00]); // invalid UTF-8 and a NUL
        bytes.Add((byte)'\n');
        return [.. bytes];
    }

    /// <summary>A proper prefix of <paramref name="line"/> (never valid JSON: the outer object is not closed), ending the line.</summary>
    public static byte[] Truncated(byte[] line, Random random)
    {
        var body = line.Length - 1; // without the newline
        var cut = body <= 2 ? 1 : 1 + random.Next(body - 2);
        var result = new byte[cut + 1];
        Array.Copy(line, result, cut);
        result[cut] = (byte)'\n';
        return result;
    }

    /// <summary>
    /// An ADDED event for an object whose spec is nested <paramref name="depth"/> levels deep. With the default depth it
    /// is deeper than kube-apiserver accepts, so no client should follow it to the bottom; its name says what it is.
    /// </summary>
    public static byte[] TooDeep(KindInfo kind, int depth = ApiServerMaxDepth + 1, string name = "too-deep")
    {
        var text = new StringBuilder(depth * 2 + 256);
        text.Append("{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"").Append(kind.ApiVersion)
            .Append("\",\"kind\":\"").Append(kind.Kind)
            .Append("\",\"metadata\":{\"name\":\"").Append(name).Append("\"},\"spec\":");
        text.Append('[', depth).Append(']', depth);
        text.Append("}}\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>An ERROR event with a 410 Expired Status, as kube-apiserver sends when a watch's resourceVersion was compacted.</summary>
    public static byte[] ExpiredError(long resourceVersion)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = $"too old resource version: {resourceVersion} (injected fault)",
            ["reason"] = "Expired",
            ["code"] = 410,
        };
        return Encoding.UTF8.GetBytes($"{{\"type\":\"ERROR\",\"object\":{status.ToJsonString()}}}\n");
    }
}
