using Microsoft.Extensions.Configuration;

namespace HomeOps.Operations;

/// <summary>
/// Checks a setting bound to an enum before binding, so that a wrong value stops the start with a message that names
/// the setting and the values it takes — the binder's own error names neither the choices nor, for numbers, the mistake
/// (it accepts "1" as the second member).
/// </summary>
public static class ConfigurationEnum
{
    /// <summary>Throws <see cref="InvalidOperationException"/> unless <paramref name="key"/> is unset or names a member of <typeparamref name="T"/> (any case).</summary>
    public static void Require<T>(IConfiguration configuration, string key) where T : struct, Enum
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value)) return;
        var names = Enum.GetNames<T>();
        if (names.Any(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase))) return;
        throw new InvalidOperationException($"{key} is '{value}'; it must be one of: {string.Join(", ", names)}.");
    }
}
