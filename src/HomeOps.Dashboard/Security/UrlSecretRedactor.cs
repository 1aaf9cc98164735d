using System.Text.RegularExpressions;
using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;

namespace HomeOps.Dashboard.Security;

/// <summary>
/// Rewrites the values of secret-bearing query parameters (<c>code</c>, <c>state</c>, <c>id_token</c>,
/// <c>access_token</c>, <c>token</c>, …) to <c>***</c> in every property of a log event before any sink sees it.
/// ASP.NET Core's hosting diagnostics log each request's path and query string at Information
/// ("Request starting … GET …/signin-oidc?code=…&amp;state=…"), and the OIDC handler logs the callback URL at Trace:
/// an operator who turns logging up must not find an authorization code in the log. Properties are checked by
/// content, not by name, so RequestPath, QueryString, Uri, RedirectUrl and any other URL-ish string are covered.
/// (Literal text in a message template is not a property and is not rewritten; the framework logs URLs as properties.)
/// </summary>
public sealed partial class UrlSecretRedactor : ILogEventEnricher
{
    public const string Mask = "***";

    /// <summary>The parameters whose values are credentials or one-time secrets in OAuth/OIDC and our own URLs.</summary>
    public static readonly IReadOnlyList<string> SecretParameters =
        ["code", "state", "id_token", "access_token", "refresh_token", "token", "session_state", "client_secret", "password"];

    // name=value after the start, '?', '&', ';' or '#' (a fragment carries tokens in the implicit flow), also
    // URL-encoded (a return URL inside a query: "next=%2Fauthorize%3F...%26state%3D..."); the value ends at the next
    // separator, whitespace or quote. Case-insensitive: "Code=" is still a code.
    [GeneratedRegex(@"(?<lead>^|[?&;#]|%3F|%26|%23)(?<name>code|state|id_token|access_token|refresh_token|token|session_state|client_secret|password)(?<eq>=|%3D)(?<value>(?:(?!%26|%23)[^&#;\s""'<>])*)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretParameter();

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? changed = null;
        foreach (var (name, value) in logEvent.Properties)
            if (Redact(value) is { } redacted) (changed ??= []).Add(new LogEventProperty(name, redacted));
        if (changed is null) return;
        foreach (var property in changed) logEvent.AddOrUpdateProperty(property);
    }

    /// <summary>The text with every secret parameter's value masked (unchanged when there is none).</summary>
    public static string Redact(string text) =>
        text.Contains('=') || text.Contains("%3D", StringComparison.OrdinalIgnoreCase)
            ? SecretParameter().Replace(text, m => $"{m.Groups["lead"].Value}{m.Groups["name"].Value}{m.Groups["eq"].Value}{Mask}")
            : text;

    /// <summary>A redacted copy of the value, or null when nothing in it needed redacting.</summary>
    private static LogEventPropertyValue? Redact(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string s }:
                var r = Redact(s);
                return ReferenceEquals(r, s) || r == s ? null : new ScalarValue(r);
            case ScalarValue { Value: Uri or PathString or QueryString } url:
                // Framework types that render as URLs: logged as text from here on.
                var text = url.Value!.ToString() ?? "";
                var redacted = Redact(text);
                return redacted == text ? null : new ScalarValue(redacted);
            case SequenceValue sequence:
                var items = sequence.Elements.Select(e => Redact(e)).ToList();
                return items.All(i => i is null) ? null : new SequenceValue(sequence.Elements.Select((e, i) => items[i] ?? e));
            case StructureValue structure:
                var props = structure.Properties.Select(p => Redact(p.Value)).ToList();
                return props.All(p => p is null) ? null
                    : new StructureValue(structure.Properties.Select((p, i) => props[i] is { } v ? new LogEventProperty(p.Name, v) : p), structure.TypeTag);
            case DictionaryValue dictionary:
                var entries = dictionary.Elements.Select(kv => (kv.Key, Value: Redact(kv.Value))).ToList();
                return entries.All(e => e.Value is null) ? null
                    : new DictionaryValue(dictionary.Elements.Select((kv, i) => new KeyValuePair<ScalarValue, LogEventPropertyValue>(kv.Key, entries[i].Value ?? kv.Value)));
            default:
                return null;
        }
    }
}

public static class UrlSecretRedactorExtensions
{
    /// <summary>
    /// Adds the redactor to the "Serilog" configuration section itself, so every logger built from it gets it: the
    /// host's, and the embedded simulator's and identity provider's, which are built from the same configuration
    /// before the host exists (the provider logs the authorize redirect, state included, at Information).
    /// </summary>
    public static IConfigurationBuilder AddUrlSecretRedaction(this IConfigurationBuilder configuration) =>
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Serilog:Using:UrlSecretRedactor"] = typeof(UrlSecretRedactor).Assembly.GetName().Name,
            ["Serilog:Enrich:UrlSecretRedactor"] = nameof(WithUrlSecretsRedacted),
        });

    /// <summary>Masks secret query parameters in every property before any sink (see <see cref="UrlSecretRedactor"/>).</summary>
    public static LoggerConfiguration WithUrlSecretsRedacted(this LoggerEnrichmentConfiguration enrich) => enrich.With<UrlSecretRedactor>();
}
