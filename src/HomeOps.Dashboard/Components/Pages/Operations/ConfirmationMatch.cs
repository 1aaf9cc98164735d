namespace HomeOps.Dashboard.Components.Pages.Operations;

/// <summary>
/// The dialog's enable rule, mirroring the engine's ConfirmationGuard so the button lights up exactly when the engine
/// would accept: a phrase must match exactly (case-sensitive, surrounding spaces ignored); node names must be exactly
/// the chosen set. The engine checks again on confirm.
/// </summary>
public static class ConfirmationMatch
{
    public static bool Matches(string? expected, string? typed, bool byNodeNames)
    {
        if (string.IsNullOrEmpty(expected)) return true;
        var text = (typed ?? "").Trim();
        if (text.Length == 0) return false;
        if (!byNodeNames) return string.Equals(text, expected, StringComparison.Ordinal);
        var want = Split(expected);
        var got = Split(text);
        return got.Length == want.Length && got.ToHashSet(StringComparer.Ordinal).SetEquals(want);
    }

    private static string[] Split(string s) => s.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
}
