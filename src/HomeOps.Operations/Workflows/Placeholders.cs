using System.Text.RegularExpressions;

namespace HomeOps.Operations.Workflows;

/// <summary>The format a placeholder asks for: the value itself, or the node(s)' IPv4 InternalIP(s).</summary>
public enum PlaceholderFormat
{
    Value,
    /// <summary><c>{nodes:ips}</c>: comma-separated IPv4 InternalIPs of a node list (Taskfile NODES= takes IPs).</summary>
    Ips,
    /// <summary><c>{node:ip}</c>: the IPv4 InternalIP of one node (talosctl --nodes takes IPs).</summary>
    Ip,
}

public sealed record PlaceholderToken(string Name, PlaceholderFormat Format)
{
    public override string ToString() => Format switch
    {
        PlaceholderFormat.Ips => $"{{{Name}:ips}}",
        PlaceholderFormat.Ip => $"{{{Name}:ip}}",
        _ => $"{{{Name}}}",
    };
}

/// <summary>How one argv element or env value is shaped.</summary>
public abstract record ValueShape
{
    public sealed record Literal(string Text) : ValueShape;

    /// <summary>The whole element is one placeholder: substituted as exactly one argument.</summary>
    public sealed record Whole(PlaceholderToken Token) : ValueShape;

    /// <summary><c>KEY={placeholder}</c>: a Task-style variable assignment whose whole value is one placeholder.</summary>
    public sealed record Assignment(string Key, PlaceholderToken Token) : ValueShape;

    /// <summary>Anything else with braces: a placeholder spliced into text, which the loader rejects.</summary>
    public sealed record Invalid(string Reason) : ValueShape;
}

/// <summary>
/// Placeholders are substituted as WHOLE arguments only: <c>{name}</c>, <c>{name:ips}</c>, <c>{name:ip}</c>, or the
/// value of a <c>KEY={name}</c> pair. Splicing (<c>--nodes={x}</c>, <c>"reset {x}"</c>) is not expressible, so input
/// never becomes part of a string that something else parses.
/// </summary>
public static partial class Placeholders
{
    /// <summary>Variables the host configures (never operator input): paths to the kubeconfig, talosconfig and checkout.</summary>
    public static readonly IReadOnlySet<string> BuiltIns = new HashSet<string>(StringComparer.Ordinal) { "kubeconfig", "talosconfig", "checkout", RecoveredKubeconfig };

    /// <summary>
    /// A writable kubeconfig path under Operations:DataDirectory (<c>recovered/kubeconfig</c>) for tasks that run
    /// <c>talosctl kubeconfig</c>: in the pod the root filesystem (and so ~/.kube/config) is read-only.
    /// </summary>
    public const string RecoveredKubeconfig = "recovered-kubeconfig";

    /// <summary>The loop variable of a <c>forEach</c> step.</summary>
    public const string LoopVariable = "node";

    [GeneratedRegex(@"^\{(?<name>[A-Za-z][A-Za-z0-9_-]*)(?::(?<fmt>ips|ip))?\}$", RegexOptions.CultureInvariant)]
    private static partial Regex WholeRegex();

    [GeneratedRegex(@"^(?<key>[A-Z_][A-Z0-9_]*)=(?<value>.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex AssignmentRegex();

    public static bool TryParseWhole(string text, out PlaceholderToken token)
    {
        var m = WholeRegex().Match(text);
        if (!m.Success)
        {
            token = null!;
            return false;
        }
        var fmt = m.Groups["fmt"].Value switch { "ips" => PlaceholderFormat.Ips, "ip" => PlaceholderFormat.Ip, _ => PlaceholderFormat.Value };
        token = new PlaceholderToken(m.Groups["name"].Value, fmt);
        return true;
    }

    /// <summary>Classifies an argv element.</summary>
    public static ValueShape ClassifyArgument(string element)
    {
        if (!HasBrace(element)) return new ValueShape.Literal(element);
        if (TryParseWhole(element, out var whole)) return new ValueShape.Whole(whole);
        var a = AssignmentRegex().Match(element);
        if (a.Success && TryParseWhole(a.Groups["value"].Value, out var value))
            return new ValueShape.Assignment(a.Groups["key"].Value, value);
        return new ValueShape.Invalid($"argument '{element}' splices a placeholder into text; a placeholder must be a whole argument or the whole value of KEY={{name}}");
    }

    /// <summary>Classifies an env value: a literal or exactly one placeholder.</summary>
    public static ValueShape ClassifyEnvValue(string value)
    {
        if (!HasBrace(value)) return new ValueShape.Literal(value);
        if (TryParseWhole(value, out var whole)) return new ValueShape.Whole(whole);
        return new ValueShape.Invalid($"env value '{value}' splices a placeholder into text; an env value must be a literal or exactly one placeholder");
    }

    /// <summary>Classifies a gate argument value (same rule as env values).</summary>
    public static ValueShape ClassifyGateArg(string value) => ClassifyEnvValue(value);

    private static bool HasBrace(string s) => s.Contains('{') || s.Contains('}');
}
