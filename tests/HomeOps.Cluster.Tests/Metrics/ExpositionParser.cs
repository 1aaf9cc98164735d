using System.Globalization;
using System.Text;

namespace HomeOps.Cluster.Tests.Metrics;

/// <summary>One sample: its metric name, labels (unescaped) and value.</summary>
public sealed record ExpositionSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string Label(string name) => Labels.TryGetValue(name, out var v) ? v : "";
}

public sealed record ExpositionFamily(string Name, string Help, string Type, List<ExpositionSample> Samples);

/// <summary>
/// A strict reader of the Prometheus text exposition format 0.0.4, written for the tests from the format's description
/// (not from our writer), so that it catches what Prometheus would reject: every line must be a HELP/TYPE comment or a
/// valid sample; label values may use only the escapes \\ \" \n; a family's samples are contiguous and follow its TYPE;
/// no series appears twice. Throws <see cref="FormatException"/> naming the line on the first violation.
/// </summary>
public static class ExpositionParser
{
    public static IReadOnlyList<ExpositionFamily> Parse(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n')) throw new FormatException("the exposition must end with a line feed");
        var families = new List<ExpositionFamily>();
        var byName = new Dictionary<string, ExpositionFamily>(StringComparer.Ordinal);
        var seriesSeen = new HashSet<string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        ExpositionFamily? current = null;
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var line = lines[i];
            var where = $"line {i + 1}: '{line}'";
            if (line.Length == 0) continue;
            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4);
                if (parts.Length >= 3 && parts[0] == "#" && parts[1] is "HELP" or "TYPE")
                {
                    var name = parts[2];
                    if (!IsMetricName(name)) throw new FormatException($"{where}: bad metric name");
                    if (!byName.TryGetValue(name, out var family))
                    {
                        family = new ExpositionFamily(name, "", "untyped", []);
                        byName[name] = family;
                        families.Add(family);
                    }
                    else if (!ReferenceEquals(family, current) || family.Samples.Count > 0)
                        throw new FormatException($"{where}: {parts[1]} for {name} after its samples or out of place");
                    current = family;
                    var rest = parts.Length == 4 ? parts[3] : "";
                    if (parts[1] == "HELP")
                        byName[name] = current = ReplaceIn(families, family, family with { Help = UnescapeHelp(rest, where) });
                    else if (rest is "gauge" or "counter" or "histogram" or "summary" or "untyped")
                        byName[name] = current = ReplaceIn(families, family, family with { Type = rest });
                    else throw new FormatException($"{where}: unknown type '{rest}'");
                }
                continue; // other comments are allowed
            }
            var sample = ParseSample(line, where);
            var owner = current is not null && (sample.Name == current.Name || (current.Type is "histogram" or "summary" && sample.Name.StartsWith(current.Name + "_", StringComparison.Ordinal)))
                ? current
                : null;
            if (owner is null)
            {
                if (byName.ContainsKey(sample.Name)) throw new FormatException($"{where}: samples of {sample.Name} are not contiguous");
                owner = new ExpositionFamily(sample.Name, "", "untyped", []);
                byName[sample.Name] = owner;
                families.Add(owner);
                current = owner;
            }
            var series = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value.Length}:{l.Value}")) + "}";
            if (!seriesSeen.Add(series)) throw new FormatException($"{where}: duplicate series");
            owner.Samples.Add(sample);
        }
        return families;
    }

    private static ExpositionFamily ReplaceIn(List<ExpositionFamily> families, ExpositionFamily old, ExpositionFamily updated)
    {
        families[families.IndexOf(old)] = updated;
        return updated;
    }

    private static ExpositionSample ParseSample(string line, string where)
    {
        var pos = 0;
        while (pos < line.Length && (char.IsAsciiLetterOrDigit(line[pos]) || line[pos] is '_' or ':')) pos++;
        var name = line[..pos];
        if (!IsMetricName(name)) throw new FormatException($"{where}: bad metric name");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (pos < line.Length && line[pos] == '{')
        {
            pos++;
            while (true)
            {
                if (pos >= line.Length) throw new FormatException($"{where}: unterminated label set");
                if (line[pos] == '}') { pos++; break; }
                var start = pos;
                while (pos < line.Length && (char.IsAsciiLetterOrDigit(line[pos]) || line[pos] == '_')) pos++;
                var labelName = line[start..pos];
                if (labelName.Length == 0 || char.IsAsciiDigit(labelName[0])) throw new FormatException($"{where}: bad label name at {start}");
                if (pos + 1 >= line.Length || line[pos] != '=' || line[pos + 1] != '"') throw new FormatException($"{where}: expected =\" after {labelName}");
                pos += 2;
                var value = new StringBuilder();
                while (true)
                {
                    if (pos >= line.Length) throw new FormatException($"{where}: unterminated value of {labelName}");
                    var c = line[pos++];
                    if (c == '"') break;
                    if (c == '\\')
                    {
                        if (pos >= line.Length) throw new FormatException($"{where}: dangling backslash");
                        value.Append(line[pos++] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            var other => throw new FormatException($"{where}: invalid escape \\{other}"),
                        });
                    }
                    else value.Append(c);
                }
                if (!labels.TryAdd(labelName, value.ToString())) throw new FormatException($"{where}: label {labelName} twice");
                if (pos < line.Length && line[pos] == ',') pos++;
                else if (pos < line.Length && line[pos] != '}') throw new FormatException($"{where}: expected , or }} at {pos}");
            }
        }
        if (pos >= line.Length || line[pos] != ' ') throw new FormatException($"{where}: expected a space before the value");
        var fields = line[(pos + 1)..].Split(' ');
        if (fields.Length is < 1 or > 2) throw new FormatException($"{where}: expected a value and an optional timestamp");
        var number = ParseValue(fields[0]) ?? throw new FormatException($"{where}: bad value '{fields[0]}'");
        if (fields.Length == 2 && !long.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            throw new FormatException($"{where}: bad timestamp");
        return new ExpositionSample(name, labels, number);
    }

    /// <summary>Go's ParseFloat spellings the format allows.</summary>
    public static double? ParseValue(string s) => s switch
    {
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ when s.Length > 0 && s.All(c => char.IsAsciiDigit(c) || c is '.' or '-' or '+' or 'e' or 'E') &&
               double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) => v,
        _ => null,
    };

    private static string UnescapeHelp(string s, string where)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\') { sb.Append(s[i]); continue; }
            if (++i >= s.Length) throw new FormatException($"{where}: dangling backslash in HELP");
            sb.Append(s[i] switch { '\\' => '\\', 'n' => '\n', var o => throw new FormatException($"{where}: invalid HELP escape \\{o}") });
        }
        return sb.ToString();
    }

    private static bool IsMetricName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] is '_' or ':') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');
}

public static class ExpositionQueries
{
    public static ExpositionFamily Family(this IReadOnlyList<ExpositionFamily> families, string name) =>
        families.SingleOrDefault(f => f.Name == name) ?? throw new Xunit.Sdk.XunitException($"no family {name}");

    /// <summary>The single sample of a family whose labels include all the given pairs.</summary>
    public static double Value(this IReadOnlyList<ExpositionFamily> families, string name, params (string Label, string Value)[] match)
    {
        var hits = families.Family(name).Samples.Where(s => match.All(m => s.Label(m.Label) == m.Value)).ToList();
        if (hits.Count != 1)
            throw new Xunit.Sdk.XunitException($"{name}{{{string.Join(",", match.Select(m => $"{m.Label}={m.Value}"))}}}: {hits.Count} samples, expected 1");
        return hits[0].Value;
    }
}
