using System.Collections;

namespace HomeOps.Operations.Runners;

/// <summary>
/// The environment a step's process starts with: built from an allowlist, never the dashboard's whole environment
/// (which holds <c>Oidc__ClientSecret</c>, <c>Authentik__Token</c>, <c>Metrics__BearerToken</c>, database passwords …).
/// From the dashboard's own environment only <see cref="Inherited"/> (PATH, HOME, KUBECONFIG, TALOSCONFIG, TZ, locale)
/// and the names the operator listed in <c>Operations:InheritEnvironment</c>; then the step's <c>env:</c> on top (a
/// null value removes a variable).
/// </summary>
public static class ChildEnvironment
{
    /// <summary>Inherited by name. LC_* (every locale category) is inherited as a prefix.</summary>
    public static readonly IReadOnlySet<string> Inherited = new HashSet<string>(StringComparer.Ordinal)
    {
        "PATH", "HOME", "KUBECONFIG", "TALOSCONFIG", "TZ", "LANG", "LANGUAGE",
    };

    public static bool IsInherited(string name, IReadOnlySet<string>? extra = null) =>
        Inherited.Contains(name) || name.StartsWith("LC_", StringComparison.Ordinal) || extra?.Contains(name) == true;

    /// <summary>The child's environment: the allowlisted part of <paramref name="parent"/>, then <paramref name="additions"/>.</summary>
    public static Dictionary<string, string> Build(
        IDictionary parent, IReadOnlyDictionary<string, string?> additions, IReadOnlySet<string>? extraInherited = null)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in parent)
        {
            if (e.Key is string name && e.Value is string value && IsInherited(name, extraInherited)) env[name] = value;
        }
        foreach (var (name, value) in additions)
        {
            if (value is null) env.Remove(name);
            else env[name] = value;
        }
        return env;
    }
}
