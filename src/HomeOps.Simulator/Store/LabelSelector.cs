using System.Text.RegularExpressions;

namespace HomeOps.Simulator.Store;

/// <summary>
/// A Kubernetes label selector in its query-string form: <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a</c>, <c>!a</c>,
/// <c>a in (x,y)</c>, <c>a notin (x)</c>, comma-separated (all must match).
/// </summary>
public sealed partial class LabelSelector
{
    private enum Op { Equals, NotEquals, In, NotIn, Exists, DoesNotExist }

    private sealed record Requirement(string Key, Op Op, IReadOnlyList<string> Values);

    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public static readonly LabelSelector Everything = new([]);

    public bool IsEverything => _requirements.Count == 0;

    /// <exception cref="ApiException">400 BadRequest for a selector the API server would reject.</exception>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        var requirements = new List<Requirement>();
        foreach (var term in SplitTerms(text))
        {
            requirements.Add(ParseTerm(term.Trim(), text));
        }
        return new LabelSelector(requirements);
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var r in _requirements)
        {
            var has = labels.TryGetValue(r.Key, out var value);
            var ok = r.Op switch
            {
                Op.Equals => has && value == r.Values[0],
                Op.NotEquals => !has || value != r.Values[0],
                Op.In => has && r.Values.Contains(value!),
                Op.NotIn => !has || !r.Values.Contains(value!),
                Op.Exists => has,
                Op.DoesNotExist => !has,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    // Commas separate terms, except inside the parentheses of an in/notin value set.
    private static IEnumerable<string> SplitTerms(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }
        yield return text[start..];
    }

    private static Requirement ParseTerm(string term, string whole)
    {
        if (term.Length == 0) throw Invalid(whole);
        var set = SetTerm().Match(term);
        if (set.Success)
        {
            var values = set.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries);
            if (values.Any(v => !IsValue(v))) throw Invalid(whole);
            var op = set.Groups["op"].Value == "in" ? Op.In : Op.NotIn;
            return new Requirement(Key(set.Groups["key"].Value, whole), op, values);
        }
        if (term.StartsWith('!')) return new Requirement(Key(term[1..].Trim(), whole), Op.DoesNotExist, []);
        foreach (var (token, op) in new[] { ("!=", Op.NotEquals), ("==", Op.Equals), ("=", Op.Equals) })
        {
            var at = term.IndexOf(token, StringComparison.Ordinal);
            if (at < 0) continue;
            var value = term[(at + token.Length)..].Trim();
            if (!IsValue(value)) throw Invalid(whole);
            return new Requirement(Key(term[..at].Trim(), whole), op, [value]);
        }
        return new Requirement(Key(term, whole), Op.Exists, []);
    }

    private static string Key(string key, string whole) => LabelKey().IsMatch(key) ? key : throw Invalid(whole);

    private static bool IsValue(string value) => value.Length == 0 || LabelValue().IsMatch(value);

    private static ApiException Invalid(string selector) =>
        ApiException.BadRequest($"unable to parse requirement: invalid label selector \"{selector}\"");

    [GeneratedRegex(@"^(?<key>\S+)\s+(?<op>in|notin)\s*\((?<values>[^()]*)\)$")]
    private static partial Regex SetTerm();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex LabelKey();

    [GeneratedRegex(@"^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    public override string ToString() => string.Join(",", _requirements.Select(r => $"{r.Key} {r.Op} {string.Join("|", r.Values)}"));
}
