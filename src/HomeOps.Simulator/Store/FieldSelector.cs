namespace HomeOps.Simulator.Store;

/// <summary>
/// The field selectors every kind supports: <c>metadata.name</c> and <c>metadata.namespace</c> with
/// <c>=</c>, <c>==</c> or <c>!=</c> (kubectl uses <c>metadata.name=X</c> to watch a single object).
/// </summary>
public sealed class FieldSelector
{
    private sealed record Requirement(string Field, bool Equal, string Value);

    private readonly IReadOnlyList<Requirement> _requirements;

    private FieldSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public static readonly FieldSelector Everything = new([]);

    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        var requirements = new List<Requirement>();
        foreach (var raw in text.Split(','))
        {
            var term = raw.Trim();
            var (at, length, equal) = term.IndexOf("!=", StringComparison.Ordinal) is var ne and >= 0 ? (ne, 2, false)
                : term.IndexOf("==", StringComparison.Ordinal) is var eq and >= 0 ? (eq, 2, true)
                : (term.IndexOf('='), 1, true);
            if (at <= 0) throw ApiException.BadRequest($"invalid selector: '{text}'; can't understand '{term}'");
            var field = term[..at].Trim();
            if (field is not ("metadata.name" or "metadata.namespace"))
            {
                throw ApiException.BadRequest($"field label not supported: {field}");
            }
            requirements.Add(new Requirement(field, equal, term[(at + length)..].Trim()));
        }
        return new FieldSelector(requirements);
    }

    public bool Matches(string @namespace, string name)
    {
        foreach (var r in _requirements)
        {
            var actual = r.Field == "metadata.name" ? name : @namespace;
            if ((actual == r.Value) != r.Equal) return false;
        }
        return true;
    }
}
