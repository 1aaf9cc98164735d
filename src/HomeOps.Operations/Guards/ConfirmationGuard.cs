using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Guards;

/// <summary>The typed confirmation of a destructive run: the exact phrase (case-sensitive), or exactly the chosen node names.</summary>
public static class ConfirmationGuard
{
    /// <summary>What the operator must type, for the dialog.</summary>
    public static string? Expected(WorkflowDefinition definition, ValidatedParameters parameters)
    {
        if (definition.Confirmation is not { } c) return null;
        if (c.Phrase is not null) return c.Phrase;
        return string.Join(", ", parameters.Nodes(c.NodeNamesParameter));
    }

    /// <summary>Null when the typed text confirms; otherwise why not.</summary>
    public static string? Check(WorkflowDefinition definition, ValidatedParameters parameters, string? typed)
    {
        if (definition.Confirmation is not { } c) return null;
        var text = (typed ?? "").Trim();
        if (text.Length == 0) return "a typed confirmation is required";
        if (c.Phrase is not null)
            return string.Equals(text, c.Phrase, StringComparison.Ordinal) ? null : $"the confirmation must be exactly '{c.Phrase}'";
        var expected = parameters.Nodes(c.NodeNamesParameter);
        var typedNames = text.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var ok = typedNames.Length == expected.Length
                 && typedNames.ToHashSet(StringComparer.Ordinal).SetEquals(expected);
        return ok ? null : $"type the node names exactly: {string.Join(", ", expected)}";
    }
}
