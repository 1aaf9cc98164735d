using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Guards;

/// <summary>
/// The typed confirmation of a destructive run: the exact phrase (case-sensitive, surrounding spaces ignored), or
/// exactly the chosen node names (any order, separated by commas or spaces). The one rule for both the engine (which
/// decides) and the confirmation dialog (whose button lights up exactly when the engine would accept).
/// </summary>
public static class ConfirmationGuard
{
    /// <summary>What the operator must type, for the dialog.</summary>
    public static string? Expected(WorkflowDefinition definition, ValidatedParameters parameters)
    {
        if (definition.Confirmation is not { } c) return null;
        if (c.Phrase is not null) return c.Phrase;
        return string.Join(", ", parameters.Nodes(c.NodeNamesParameter));
    }

    /// <summary>Prefix of the "the API is unreachable" override phrase (issue 13 h).</summary>
    public const string ApiUnreachablePrefix = "API UNREACHABLE ";

    /// <summary>
    /// The override phrase for a run that takes nodes down while the Kubernetes API is unreachable: its own text, distinct
    /// from the normal confirmation, so it cannot be typed by habit. Null for a workflow without a confirmation or a
    /// pre-flight that takes nodes down.
    /// </summary>
    public static string? ApiUnreachablePhrase(WorkflowDefinition definition, ValidatedParameters parameters)
    {
        if (definition.Confirmation is null || definition.Preflight is not { Impact: not PreflightImpact.None }) return null;
        return Expected(definition, parameters) is { Length: > 0 } e ? ApiUnreachablePrefix + e : null;
    }

    /// <summary>Did the operator type the override phrase (exactly; surrounding spaces ignored)?</summary>
    public static bool IsApiUnreachableOverride(WorkflowDefinition definition, ValidatedParameters parameters, string? typed) =>
        ApiUnreachablePhrase(definition, parameters) is { } phrase && PhraseMatches(phrase, (typed ?? "").Trim());

    /// <summary>Null when the typed text confirms (the normal confirmation or the override phrase); otherwise why not.</summary>
    public static string? Check(WorkflowDefinition definition, ValidatedParameters parameters, string? typed)
    {
        if (definition.Confirmation is not { } c) return null;
        var text = (typed ?? "").Trim();
        if (text.Length == 0) return "a typed confirmation is required";
        if (IsApiUnreachableOverride(definition, parameters, text)) return null;
        if (c.Phrase is not null)
            return PhraseMatches(c.Phrase, text) ? null : $"the confirmation must be exactly '{c.Phrase}'";
        var expected = parameters.Nodes(c.NodeNamesParameter);
        return NamesMatch(expected, text) ? null : $"type the node names exactly: {string.Join(", ", expected)}";
    }

    /// <summary>
    /// The dialog's side of the same rule: does <paramref name="typed"/> confirm <paramref name="expected"/> (what
    /// <see cref="Expected"/> returned)? Nothing expected means nothing to type. The engine checks again on confirm.
    /// </summary>
    public static bool Matches(string? expected, string? typed, bool byNodeNames)
    {
        if (string.IsNullOrEmpty(expected)) return true;
        var text = (typed ?? "").Trim();
        if (text.Length == 0) return false;
        return byNodeNames ? NamesMatch(SplitNames(expected), text) : PhraseMatches(expected, text);
    }

    private static bool PhraseMatches(string phrase, string text) => string.Equals(text, phrase, StringComparison.Ordinal);

    private static bool NamesMatch(IReadOnlyCollection<string> expected, string text)
    {
        var typedNames = SplitNames(text);
        return typedNames.Length == expected.Count && typedNames.ToHashSet(StringComparer.Ordinal).SetEquals(expected);
    }

    private static string[] SplitNames(string text) => text.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
}
