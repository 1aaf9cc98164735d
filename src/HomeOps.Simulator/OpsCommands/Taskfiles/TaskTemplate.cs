using System.Text.RegularExpressions;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>
/// The part of Go templating the home-ops Taskfiles use: <c>{{.NAME}}</c> and <c>{{.NAME | default "value"}}</c>.
/// A variable that is not set renders empty (as in Task). Anything else in braces is left as written, so a model
/// that does not understand it fails loudly instead of guessing.
/// </summary>
public static partial class TaskTemplate
{
    public static string Render(string text, IReadOnlyDictionary<string, string> vars) =>
        Placeholder().Replace(text, m =>
        {
            var name = m.Groups["name"].Value;
            var value = vars.TryGetValue(name, out var v) ? v : "";
            if (m.Groups["default"].Success && value.Length == 0) value = m.Groups["default"].Value;
            return value;
        });

    /// <summary>The variable names a text reads (<c>{{.NAME…}}</c>).</summary>
    public static IEnumerable<string> References(string text) =>
        Placeholder().Matches(text).Select(m => m.Groups["name"].Value);

    [GeneratedRegex("""\{\{\s*\.(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\|\s*default\s+"(?<default>[^"]*)"\s*)?\}\}""")]
    private static partial Regex Placeholder();
}
