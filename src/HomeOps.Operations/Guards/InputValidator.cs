using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using HomeOps.Cluster.State;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Guards;

/// <summary>Parameters after validation: scalar values, and node lists in the order given.</summary>
public sealed record ValidatedParameters(
    ImmutableDictionary<string, string> Values,
    ImmutableDictionary<string, ImmutableArray<string>> NodeLists)
{
    public static readonly ValidatedParameters Empty = new(
        ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableDictionary<string, ImmutableArray<string>>.Empty.WithComparers(StringComparer.Ordinal));

    public ImmutableArray<string> Nodes(string? parameter) =>
        parameter is not null && NodeLists.TryGetValue(parameter, out var list) ? list : [];
}

/// <summary>
/// Every value a workflow substitutes comes through here. Node names only from the live node list and of DNS-label
/// shape; every other value is a token of a small safe character set (so even where a tool such as Task interpolates a
/// variable into a shell line, nothing in it can be interpreted) that does not start with '-' (so it can never become a
/// flag of the program it is passed to). Free text (the reason) is never substituted at all.
/// </summary>
public static partial class InputValidator
{
    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NodeNameRegex();

    [GeneratedRegex(@"^[A-Za-z0-9._:/,=@+-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeTokenRegex();

    public static bool IsValidNodeName(string name) => name.Length is > 0 and <= 63 && NodeNameRegex().IsMatch(name);

    public static bool IsSafeToken(string value) => value.Length <= 253 && SafeTokenRegex().IsMatch(value);

    /// <summary>Names what makes a value dangerous, for a clear refusal: "';'", "'$('", "a backtick", "a quote", "a space", "a newline".</summary>
    public static string DescribeUnsafe(string value)
    {
        var found = new List<string>();
        if (value.Contains(';')) found.Add("';'");
        if (value.Contains("$(")) found.Add("'$('");
        else if (value.Contains('$')) found.Add("'$'");
        if (value.Contains('`')) found.Add("a backtick");
        if (value.Contains('\'') || value.Contains('"')) found.Add("a quote");
        if (value.Contains('\n') || value.Contains('\r')) found.Add("a newline");
        if (value.Contains(' ') || value.Contains('\t')) found.Add("whitespace");
        if (value.Any(c => c is '|' or '&' or '<' or '>' or '(' or ')' or '\\' or '*' or '?' or '[' or ']' or '{' or '}' or '!' or '#' or '~'))
            found.Add("a shell metacharacter");
        if (value.Any(char.IsControl) && !value.Contains('\n') && !value.Contains('\r')) found.Add("a control character");
        if (found.Count == 0 && value.Length > 253) found.Add("more than 253 characters");
        if (found.Count == 0) found.Add("a character outside [A-Za-z0-9._:/,=@+-]");
        return string.Join(", ", found);
    }

    /// <summary>A printable, bounded rendering of a hostile value for messages (control characters escaped).</summary>
    public static string Printable(string value)
    {
        var sb = new StringBuilder();
        foreach (var c in value.Take(80))
        {
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        if (value.Length > 80) sb.Append('…');
        return sb.ToString();
    }

    /// <summary>Validates the operator's input against the definition and the live node list. Returns the problems (empty = valid).</summary>
    public static IReadOnlyList<string> Validate(
        WorkflowDefinition definition,
        IReadOnlyDictionary<string, string?> input,
        ClusterState state,
        out ValidatedParameters validated)
    {
        var problems = new List<string>();
        var values = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var lists = ImmutableDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.Ordinal);
        var liveNodes = GateData.Nodes(state).Select(n => n.Meta.Name).ToHashSet(StringComparer.Ordinal);

        foreach (var key in input.Keys.Where(k => definition.FindParameter(k) is null))
            problems.Add($"unknown parameter '{Printable(key)}'");

        foreach (var p in definition.Parameters)
        {
            input.TryGetValue(p.Name, out var raw);
            var value = string.IsNullOrEmpty(raw) ? p.Default : raw;
            if (string.IsNullOrEmpty(value))
            {
                if (p.Required) problems.Add($"parameter '{p.Name}' is required");
                continue;
            }
            switch (p.Type)
            {
                case ParameterType.Node:
                    if (CheckNode(p.Name, value, liveNodes, problems)) { values[p.Name] = value; lists[p.Name] = [value]; }
                    break;
                case ParameterType.NodeList:
                {
                    var items = value.Split(',');
                    var ok = true;
                    var seen = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var item in items)
                    {
                        ok &= CheckNode(p.Name, item, liveNodes, problems);
                        if (!seen.Add(item)) { problems.Add($"parameter '{p.Name}': node '{item}' is listed twice"); ok = false; }
                    }
                    if (ok) { values[p.Name] = string.Join(",", items); lists[p.Name] = [.. items]; }
                    break;
                }
                case ParameterType.Enum:
                    if (!p.Values.Contains(value, StringComparer.Ordinal))
                        problems.Add($"parameter '{p.Name}': '{Printable(value)}' is not one of {string.Join(", ", p.Values)}");
                    else values[p.Name] = value;
                    break;
                default:
                    // A leading '-' turns a value into an option of whatever program receives it (talosctl --talosconfig=…,
                    // kubectl --server=…): no pattern in a definition may let that through.
                    if (value.StartsWith('-'))
                        problems.Add($"parameter '{p.Name}' is rejected: it starts with '-', so a program would read it as a command-line flag ('{Printable(value)}')");
                    else if (!IsSafeToken(value))
                        problems.Add($"parameter '{p.Name}' is rejected: it contains {DescribeUnsafe(value)} ('{Printable(value)}')");
                    else if (p.Pattern is not null && !Matches(p.Pattern, value))
                        problems.Add($"parameter '{p.Name}': '{value}' does not match {p.Pattern}");
                    else values[p.Name] = value;
                    break;
            }
        }
        validated = new ValidatedParameters(values.ToImmutable(), lists.ToImmutable());
        return problems;
    }

    private static bool CheckNode(string parameter, string name, HashSet<string> liveNodes, List<string> problems)
    {
        if (!IsValidNodeName(name))
        {
            problems.Add(name.Length == 0
                ? $"parameter '{parameter}': empty node name"
                : $"parameter '{parameter}': '{Printable(name)}' is not a node name (it contains {DescribeUnsafeNodeName(name)})");
            return false;
        }
        if (!liveNodes.Contains(name))
        {
            problems.Add($"parameter '{parameter}': node '{name}' is not in the live node list ({(liveNodes.Count == 0 ? "no nodes known" : string.Join(", ", liveNodes.Order(StringComparer.Ordinal)))})");
            return false;
        }
        return true;
    }

    private static string DescribeUnsafeNodeName(string name) =>
        IsSafeToken(name) ? "characters outside ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" : DescribeUnsafe(name);

    private static bool Matches(string pattern, string value)
    {
        try { return Regex.IsMatch(value, $"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)); }
        catch (RegexMatchTimeoutException) { return false; }
    }
}
