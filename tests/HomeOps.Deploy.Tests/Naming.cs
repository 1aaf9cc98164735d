namespace HomeOps.Deploy.Tests;

public static class Naming
{
    /// <summary>Names that announce a secret value: such a thing never belongs in a build argument, an image or a ConfigMap.</summary>
    public static bool LooksSecret(string name) =>
        name.Contains("SECRET", StringComparison.OrdinalIgnoreCase) ||
        name.Contains("TOKEN", StringComparison.OrdinalIgnoreCase) ||
        name.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) ||
        name.Contains("PASSWD", StringComparison.OrdinalIgnoreCase) ||
        name.Contains("APIKEY", StringComparison.OrdinalIgnoreCase) ||
        name.Contains("API_KEY", StringComparison.OrdinalIgnoreCase);
}
