namespace HomeOps.Cluster.Health;

/// <summary>Small string helpers the rules share for building messages.</summary>
internal static class Text
{
    /// <summary><paramref name="value"/> unless it is empty or blank.</summary>
    public static string Or(string? value, string fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value;
}
