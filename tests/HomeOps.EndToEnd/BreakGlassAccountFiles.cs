using System.Text.RegularExpressions;
using HomeOps.Dashboard.Auth;
using Microsoft.Playwright;
using OtpNet;

namespace HomeOps.EndToEnd;

/// <summary>
/// A break-glass account as an operator prepares it for the station (docs/station.md): a random password, its
/// <c>PasswordHasher</c> hash and a TOTP secret, the hash and the secret in files as mounted Secrets are. Fills the
/// sign-in form as a person would, remembers every code typed, and checks a log for none of it.
/// Shared by <see cref="BreakGlassTests"/> (in-process) and <see cref="StationBreakGlassProcessTests"/> (a real process).
/// </summary>
public sealed class BreakGlassAccountFiles : IDisposable
{
    public const string User = "breakglass";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("homeops-breakglass-");
    private readonly List<string> _codesTyped = [];

    public BreakGlassAccountFiles()
    {
        Hash = BreakGlassAccount.HashPassword(Password);
        File.WriteAllText(HashFile, Hash + "\n");
        File.WriteAllText(SecretFile, Secret + "\n");
    }

    public string Password { get; } = "bg-" + Guid.NewGuid().ToString("N");
    public string Secret { get; } = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
    public string Hash { get; }
    public string HashFile => Path.Combine(_directory.FullName, "password-hash");
    public string SecretFile => Path.Combine(_directory.FullName, "totp-secret");

    /// <summary>The BreakGlass settings (configuration form) for this account.</summary>
    public Dictionary<string, string?> Settings(bool alwaysOffer, string allowedNetwork = "127.0.0.0/8") => new()
    {
        ["BreakGlass:Enabled"] = "true",
        ["BreakGlass:UserName"] = User,
        ["BreakGlass:PasswordHashFile"] = HashFile,
        ["BreakGlass:TotpSecretFile"] = SecretFile,
        ["BreakGlass:AllowedNetworks:0"] = allowedNetwork,
        ["BreakGlass:AlwaysOffer"] = alwaysOffer ? "true" : "false",
        ["BreakGlass:MaxFailures"] = "3",
    };

    /// <summary>A code as an authenticator shows it at <paramref name="at"/>; remembered so a log can be searched for it.</summary>
    public string Code(DateTimeOffset at)
    {
        var code = new Totp(Base32Encoding.ToBytes(Secret)).ComputeTotp(at.UtcDateTime);
        lock (_codesTyped) _codesTyped.Add(code);
        return code;
    }

    /// <summary>Fills and submits the break-glass form the page is on.</summary>
    public async Task FillSignInAsync(IPage page, string password)
    {
        await page.Locator("[data-testid=breakglass-username]").FillAsync(User, new() { Timeout = 15_000 });
        await page.Locator("[data-testid=breakglass-password]").FillAsync(password);
        await page.Locator("[data-testid=breakglass-totp]").FillAsync(Code(DateTimeOffset.UtcNow));
        await page.Locator("[data-testid=breakglass-submit]").ClickAsync();
    }

    /// <summary>
    /// The log has break-glass lines but no password (right or wrong), no hash, no TOTP secret and none of the codes typed
    /// (as whole numbers: a 6-digit run inside a longer number is not a code).
    /// </summary>
    public void AssertLogHasNoSecret(string log)
    {
        Assert.Contains("Break-glass", log);
        var secrets = new List<(string What, string Value)> { ("password", Password), ("hash", Hash), ("hash (escaped)", Uri.EscapeDataString(Hash)), ("TOTP secret", Secret) };
        foreach (var (what, value) in secrets)
            Assert.False(log.Contains(value, StringComparison.Ordinal), $"the log contains the {what}:\n" +
                string.Join("\n", log.Split('\n').Where(l => l.Contains(value, StringComparison.Ordinal)).Take(3)));
        string[] codes;
        lock (_codesTyped) codes = [.. _codesTyped.Distinct()];
        foreach (var code in codes)
            Assert.False(Regex.IsMatch(log, $"(?<![0-9]){code}(?![0-9])"), $"the log contains the TOTP code {code}:\n" +
                string.Join("\n", log.Split('\n').Where(l => l.Contains(code, StringComparison.Ordinal)).Take(3)));
    }

    public void Dispose()
    {
        try { _directory.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
