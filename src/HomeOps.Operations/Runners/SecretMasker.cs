using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace HomeOps.Operations.Runners;

/// <summary>
/// Replaces every known secret value with <see cref="Mask"/> in step output before it is stored, streamed, returned by
/// the API or logged. Known: every configuration value whose key names a secret (<see cref="IsSecretKey"/>: …Secret,
/// …Token, …Password, …ApiKey, …ConnectionString and the like — which includes the environment variables
/// <c>Oidc__ClientSecret</c>, <c>Authentik__Token</c>, <c>Metrics__BearerToken</c>), the password inside a connection
/// string, and values registered explicitly. Step output is line-framed (the runner delivers whole lines), so masking a
/// line masks every secret in it; nothing is ever split across two calls.
/// </summary>
public sealed partial class SecretMasker
{
    public const string Mask = "***";

    /// <summary>
    /// Configured values shorter than this are not treated as secrets: a key such as <c>…Token</c> holding "true" or "5"
    /// would otherwise mask every such word in every log. Real secrets are longer.
    /// </summary>
    public const int MinConfiguredLength = 8;

    private static readonly string[] SecretKeySuffixes =
    [
        "Secret", "Token", "Password", "Passphrase", "Pwd", "ApiKey", "AccessKey", "PrivateKey", "SigningKey", "Credentials",
        "ConnectionString",
    ];

    private readonly Lock _gate = new();
    private string[] _secrets = [];

    /// <summary>Masks nothing (tests and tools without configuration).</summary>
    public static SecretMasker None => new();

    /// <summary>Whether a configuration key (<c>Section:Name</c>, or an environment variable's <c>Section__Name</c>) names a secret.</summary>
    public static bool IsSecretKey(string key)
    {
        var normalized = key.Replace("__", ":", StringComparison.Ordinal);
        var last = normalized[(normalized.LastIndexOf(':') + 1)..];
        // ConnectionStrings:Name holds a connection string whatever its name.
        if (normalized.StartsWith("ConnectionStrings:", StringComparison.OrdinalIgnoreCase)) return true;
        return SecretKeySuffixes.Any(s => last.EndsWith(s, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Whether a configuration key names a FILE that holds a secret: <c>…TokenFile</c>, <c>…SecretFile</c>,
    /// <c>…PasswordFile</c>, <c>…PasswordHashFile</c> (e.g. Operations:OnePasswordTokenFile, whose token a station step
    /// receives as OP_SERVICE_ACCOUNT_TOKEN, or BreakGlass:TotpSecretFile).
    /// </summary>
    public static bool IsSecretFileKey(string key)
    {
        var normalized = key.Replace("__", ":", StringComparison.Ordinal);
        var last = normalized[(normalized.LastIndexOf(':') + 1)..];
        if (!last.EndsWith("File", StringComparison.OrdinalIgnoreCase) || last.Length <= 4) return false;
        var named = last[..^4];
        if (named.EndsWith("Hash", StringComparison.OrdinalIgnoreCase)) named = named[..^4];
        return IsSecretKey(named);
    }

    /// <summary>Secret files are small; anything larger is not read (and not a credential this masker could match).</summary>
    public const int MaxSecretFileBytes = 64 * 1024;

    public static SecretMasker FromConfiguration(IConfiguration configuration)
    {
        var masker = new SecretMasker();
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (!string.IsNullOrEmpty(value) && IsSecretFileKey(key)) masker.RegisterFile(value);
            if (string.IsNullOrEmpty(value) || !IsSecretKey(key)) continue;
            if (value.Length >= MinConfiguredLength) masker.Register(value);
            foreach (Match m in ConnectionStringPassword().Matches(value))
                masker.Register(m.Groups["value"].Value.Trim());
        }
        return masker;
    }

    /// <summary>Adds the content of a secret file (whole and trimmed) to mask; a missing or unreadable file adds nothing.</summary>
    public void RegisterFile(string path)
    {
        try
        {
            var file = new FileInfo(path);
            if (!file.Exists || file.Length > MaxSecretFileBytes) return;
            var content = File.ReadAllText(file.FullName);
            if (content.Trim() is { Length: >= MinConfiguredLength } trimmed) Register(trimmed);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // Not readable by the dashboard: then no step can be given it either.
        }
    }

    /// <summary>Adds a value to mask (ignored when empty or shorter than 4 characters).</summary>
    public void Register(string secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < 4) return;
        lock (_gate)
        {
            if (_secrets.Contains(secret, StringComparer.Ordinal)) return;
            // Longest first: a secret that contains another is masked whole, not in pieces.
            _secrets = [.. _secrets.Append(secret).OrderByDescending(s => s.Length)];
        }
    }

    public int Count => Volatile.Read(ref _secrets).Length;

    public string Apply(string text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        foreach (var s in Volatile.Read(ref _secrets))
        {
            if (text.Contains(s, StringComparison.Ordinal)) text = text.Replace(s, Mask, StringComparison.Ordinal);
        }
        return text;
    }

    [GeneratedRegex(@"(?:^|;)\s*(?:password|pwd)\s*=\s*(?<value>[^;]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionStringPassword();
}
