using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Auth;

/// <summary>
/// Section "BreakGlass": a local emergency account for when Authentik (which runs on the cluster) cannot be reached.
/// Off unless <see cref="Enabled"/>; when on, every setting is checked at start (<see cref="BreakGlassOptionsValidator"/>)
/// and the app refuses to start with a message naming the setting — never its value.
/// </summary>
public sealed class BreakGlassOptions
{
    public const string Section = "BreakGlass";

    public bool Enabled { get; set; }

    /// <summary>The account's user name (case-insensitive at sign-in). It is the actor name in the audit.</summary>
    public string UserName { get; set; } = "breakglass";

    /// <summary>ASP.NET Core <c>PasswordHasher</c> (V3) hash, base64; prefer <see cref="PasswordHashFile"/>.</summary>
    public string PasswordHash { get; set; } = "";

    /// <summary>File holding the hash (a mounted Secret key); wins over <see cref="PasswordHash"/>.</summary>
    public string PasswordHashFile { get; set; } = "";

    /// <summary>Optional TOTP secret (base32, as authenticator apps take it); when set, a 6-digit code is required too.</summary>
    public string TotpSecret { get; set; } = "";

    /// <summary>File holding the TOTP secret (a mounted Secret key); wins over <see cref="TotpSecret"/>.</summary>
    public string TotpSecretFile { get; set; } = "";

    /// <summary>Offer break-glass even while Authentik answers (the operator station). Otherwise only during an outage.</summary>
    public bool AlwaysOffer { get; set; }

    /// <summary>Client networks (CIDR) break-glass is offered to; the client address is the one after forwarded headers.</summary>
    public string[] AllowedNetworks { get; set; } = [];

    /// <summary>Failed attempts (per user name) after which sign-in is locked.</summary>
    public int MaxFailures { get; set; } = 5;

    /// <summary>Failures are counted over this window, and a lockout lasts this long after the last failure.</summary>
    public TimeSpan LockoutWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A break-glass session's fixed length (shorter than a normal session).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(1);

    public override string ToString() => $"Enabled={Enabled}, UserName={UserName}, PasswordHash=***, TotpSecret=***";
}

/// <summary>Start-time checks of <see cref="BreakGlassOptions"/>. Messages name settings and files, never secret values.</summary>
public sealed class BreakGlassOptionsValidator : IValidateOptions<BreakGlassOptions>
{
    public ValidateOptionsResult Validate(string? name, BreakGlassOptions o)
    {
        if (!o.Enabled) return ValidateOptionsResult.Success;
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(o.UserName)) problems.Add("BreakGlass:UserName is empty");
        try
        {
            if (!BreakGlassAccount.IsSupportedHash(BreakGlassAccount.ReadSecret(o.PasswordHash, o.PasswordHashFile)))
                problems.Add("BreakGlass:PasswordHash (or the file BreakGlass:PasswordHashFile) is neither an ASP.NET Core PasswordHasher V3 hash " +
                             "nor an Argon2id hash ($argon2id$v=19$…) (make one with `homeops hash-password` or `homeops hash-password --argon2id`)");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            problems.Add(ex.Message);
        }
        try
        {
            var totp = BreakGlassAccount.ReadSecret(o.TotpSecret, o.TotpSecretFile, required: false);
            if (totp.Length > 0 && !BreakGlassAccount.IsBase32Secret(totp))
                problems.Add("BreakGlass:TotpSecret (or the file BreakGlass:TotpSecretFile) is not a base32 secret of at least 16 bytes");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            problems.Add(ex.Message);
        }
        if (o.AllowedNetworks.Length == 0)
            problems.Add("BreakGlass:AllowedNetworks is empty: list the client networks (CIDR, e.g. 192.168.1.0/24) break-glass is offered to");
        foreach (var network in o.AllowedNetworks)
            if (!System.Net.IPNetwork.TryParse(network, out _))
                problems.Add($"BreakGlass:AllowedNetworks has '{network}', which is not a CIDR network (e.g. 192.168.1.0/24)");
        if (o.MaxFailures < 1) problems.Add("BreakGlass:MaxFailures must be at least 1");
        if (o.LockoutWindow <= TimeSpan.Zero) problems.Add("BreakGlass:LockoutWindow must be positive");
        if (o.SessionLifetime <= TimeSpan.Zero) problems.Add("BreakGlass:SessionLifetime must be positive");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
