using System.Text.Json;
using System.Text.RegularExpressions;

namespace HomeOps.Deploy.Tests.Docker;

/// <summary>One instruction: keyword (upper case), its argument text (continuations joined) and any heredoc bodies.</summary>
public sealed record Instruction(string Keyword, string Arguments, IReadOnlyList<string> Heredocs, int Line)
{
    /// <summary>Leading <c>--flag=value</c> options (e.g. COPY --from=build).</summary>
    public IReadOnlyDictionary<string, string> Flags => Tokens.TakeWhile(t => t.StartsWith("--", StringComparison.Ordinal))
        .Select(t => t[2..].Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);

    /// <summary>Arguments after the flags, split on whitespace (the Dockerfile here needs no quoting in shell-form).</summary>
    public IReadOnlyList<string> Values => [.. Tokens.SkipWhile(t => t.StartsWith("--", StringComparison.Ordinal))];

    private string[] Tokens => Arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Exec form (<c>["dotnet", "x.dll"]</c>) as a list, or null for shell form.</summary>
    public IReadOnlyList<string>? ExecForm =>
        Arguments.TrimStart().StartsWith('[') ? JsonSerializer.Deserialize<string[]>(Arguments) : null;

    public override string ToString() => $"line {Line}: {Keyword} {Arguments}";
}

/// <summary>A stage: its base image with global ARG defaults substituted (as Docker does in FROM), and as written.</summary>
public sealed record Stage(string BaseImage, string? Name, IReadOnlyList<Instruction> Instructions)
{
    public string BaseImageAsWritten { get; init; } = BaseImage;

    /// <summary>The base image without a <c>@sha256:…</c> digest: what a person reads (repository and tag).</summary>
    public string BaseImageTag => BaseImage.Split('@')[0];

    public IEnumerable<Instruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);
}

/// <summary>
/// A reader for the subset of the Dockerfile syntax this repository uses: comments, line continuations with a
/// backslash, heredocs (<c>&lt;&lt;EOF</c>, <c>&lt;&lt;'EOF'</c>, <c>&lt;&lt;-EOF</c>), global ARGs and named stages.
/// </summary>
public sealed partial class Dockerfile
{
    public required IReadOnlyList<Instruction> GlobalArgs { get; init; }
    public required IReadOnlyList<Stage> Stages { get; init; }

    public Stage Stage(string name) => Stages.Single(s => s.Name == name);
    public Stage Final => Stages[^1];

    public static Dockerfile Load(string path) => Parse(File.ReadAllText(path));

    public static Dockerfile Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var instructions = new List<Instruction>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#')) continue;
            var start = i;
            var logical = line.TrimEnd();
            while (logical.EndsWith('\\'))
            {
                logical = logical[..^1].TrimEnd();
                // Comment lines inside a continuation are dropped, as Docker does.
                do { i++; } while (i < lines.Length && lines[i].TrimStart().StartsWith('#'));
                if (i >= lines.Length) throw new FormatException($"line {start + 1}: continuation at end of file");
                logical += " " + lines[i].Trim();
            }
            var heredocs = new List<string>();
            foreach (Match m in HeredocMarker().Matches(logical))
            {
                var word = m.Groups["word"].Value;
                var dash = m.Groups["dash"].Success;
                var body = new List<string>();
                while (true)
                {
                    i++;
                    if (i >= lines.Length) throw new FormatException($"line {start + 1}: heredoc {word} is not terminated");
                    var candidate = dash ? lines[i].TrimStart('\t') : lines[i];
                    if (candidate == word) break;
                    body.Add(candidate);
                }
                heredocs.Add(string.Join('\n', body));
            }
            var space = logical.IndexOfAny([' ', '\t']);
            var keyword = (space < 0 ? logical : logical[..space]).ToUpperInvariant();
            var args = space < 0 ? "" : logical[(space + 1)..].Trim();
            instructions.Add(new Instruction(keyword, args, heredocs, start + 1));
        }

        var globals = instructions.TakeWhile(i => i.Keyword != "FROM").ToList();
        if (globals.Any(g => g.Keyword != "ARG")) throw new FormatException("only ARG may precede the first FROM");
        var defaults = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var g in globals)
        {
            var kv = g.Arguments.Split('=', 2);
            if (kv.Length == 2) defaults[kv[0].Trim()] = kv[1].Trim();
        }
        string Expand(string value) => GlobalArgReference().Replace(value, m =>
            defaults.TryGetValue(m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["bare"].Value, out var v) ? v : "");
        var stages = new List<Stage>();
        foreach (var instruction in instructions.Skip(globals.Count))
        {
            if (instruction.Keyword == "FROM")
            {
                var v = instruction.Values;
                var name = v.Count >= 3 && v[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? v[2] : null;
                stages.Add(new Stage(Expand(v[0]), name, []) { BaseImageAsWritten = v[0] });
            }
            else
            {
                var last = stages[^1];
                stages[^1] = last with { Instructions = [.. last.Instructions, instruction] };
            }
        }
        return new Dockerfile { GlobalArgs = globals, Stages = stages };
    }

    [GeneratedRegex(@"\$(?:\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)\}|(?<bare>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex GlobalArgReference();

    [GeneratedRegex(@"<<(?<dash>-)?(?<q>['""]?)(?<word>[A-Za-z_][A-Za-z0-9_]*)\k<q>")]
    private static partial Regex HeredocMarker();
}
