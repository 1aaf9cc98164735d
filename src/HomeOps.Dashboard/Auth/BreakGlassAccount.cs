using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OtpNet;

namespace HomeOps.Dashboard.Auth;

/// <summary>
/// The break-glass account's credentials: the password checked with ASP.NET Core's <see cref="PasswordHasher{TUser}"/>
/// (PBKDF2, constant-time compare) or, for a hash in the PHC <c>$argon2id$…</c> format, with <see cref="Argon2idHash"/>, and, when a TOTP secret is configured, a 6-digit RFC 6238 code (Otp.NET), one step
/// either side for clock skew, each step usable once. The hash and secret are read once at start (from the mounted file
/// when one is given) and never leave this class: nothing here logs, and the results carry no secret.
/// </summary>
public sealed class BreakGlassAccount
{
    /// <summary>The user type PasswordHasher is generic over; the V3 format does not depend on it.</summary>
    public sealed class User;

    private static readonly PasswordHasher<User> Hasher = new();

    private readonly string _userName;
    private readonly string _hash;
    private readonly byte[]? _totpKey;
    private readonly Lock _gate = new();
    private long _lastTotpStep = -1;

    public BreakGlassAccount(IOptions<BreakGlassOptions> options) : this(
        options.Value.UserName,
        options.Value.Enabled ? ReadSecret(options.Value.PasswordHash, options.Value.PasswordHashFile) : "",
        options.Value.Enabled ? ReadSecret(options.Value.TotpSecret, options.Value.TotpSecretFile, required: false) : "")
    {
    }

    public BreakGlassAccount(string userName, string passwordHash, string totpSecret)
    {
        _userName = userName.Trim();
        _hash = passwordHash;
        _totpKey = totpSecret.Length > 0 ? Base32Encoding.ToBytes(totpSecret) : null;
    }

    public string UserName => _userName;

    public bool RequiresTotp => _totpKey is not null;

    /// <summary>Whether <paramref name="userName"/> names this account (case-insensitive, constant time).</summary>
    public bool IsAccount(string? userName)
    {
        var given = Encoding.UTF8.GetBytes((userName ?? "").Trim().ToLowerInvariant());
        var expected = Encoding.UTF8.GetBytes(_userName.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    /// <summary>
    /// True only when the user name, the password and (if configured) the TOTP code are all right. The password is
    /// always hashed, whatever the user name, so a wrong name takes as long as a wrong password.
    /// </summary>
    public bool Verify(string? userName, string? password, string? totpCode, DateTimeOffset now)
    {
        var nameOk = IsAccount(userName);
        var passwordOk = VerifyPassword(password);
        if (!nameOk || !passwordOk) return false;
        return !RequiresTotp || VerifyTotp(totpCode, now);
    }

    public bool VerifyPassword(string? password)
    {
        if (string.IsNullOrEmpty(password) || _hash.Length == 0) return false;
        if (_hash.StartsWith(Argon2idHash.Prefix, StringComparison.Ordinal)) return Argon2idHash.Verify(_hash, password);
        try
        {
            return Hasher.VerifyHashedPassword(new User(), _hash, password) is PasswordVerificationResult.Success or PasswordVerificationResult.SuccessRehashNeeded;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The code for now or one step either side, and a step not used before (a code cannot be replayed).</summary>
    public bool VerifyTotp(string? code, DateTimeOffset now)
    {
        if (_totpKey is null) return true;
        code = code?.Replace(" ", "", StringComparison.Ordinal);
        if (string.IsNullOrEmpty(code) || code.Length != 6 || !code.All(char.IsAsciiDigit)) return false;
        var totp = new Totp(_totpKey);
        if (!totp.VerifyTotp(now.UtcDateTime, code, out var step, VerificationWindow.RfcSpecifiedNetworkDelay)) return false;
        lock (_gate)
        {
            if (step <= _lastTotpStep) return false;
            _lastTotpStep = step;
            return true;
        }
    }

    /// <summary>A new hash in the format <see cref="BreakGlassOptions.PasswordHash"/> takes (what <c>homeops hash-password</c> prints).</summary>
    public static string HashPassword(string password) => Hasher.HashPassword(new User(), password);

    /// <summary>
    /// The secret from <paramref name="file"/> when set (trailing newline trimmed, as Secrets mounted from a file often
    /// have one), else <paramref name="value"/>. Throws <see cref="InvalidOperationException"/> naming the setting when
    /// a required one is missing.
    /// </summary>
    public static string ReadSecret(string value, string file, bool required = true)
    {
        string secret;
        if (!string.IsNullOrWhiteSpace(file))
        {
            if (!File.Exists(file)) throw new InvalidOperationException($"BreakGlass: the file '{file}' does not exist");
            secret = File.ReadAllText(file).Trim();
        }
        else
        {
            secret = (value ?? "").Trim();
        }
        if (required && secret.Length == 0)
            throw new InvalidOperationException("BreakGlass:PasswordHash or BreakGlass:PasswordHashFile must be set when BreakGlass:Enabled is true");
        return secret;
    }

    /// <summary>A hash the account can verify: PasswordHasher V3, or Argon2id in the PHC format.</summary>
    public static bool IsSupportedHash(string hash) => IsV3Hash(hash) || Argon2idHash.IsHash(hash);

    /// <summary>A PasswordHasher V3 hash: base64, format marker 0x01, and long enough for its header, salt and subkey.</summary>
    public static bool IsV3Hash(string hash)
    {
        Span<byte> bytes = stackalloc byte[256];
        return Convert.TryFromBase64String(hash, bytes, out var length) && length >= 13 + 16 + 16 && bytes[0] == 0x01;
    }

    public static bool IsBase32Secret(string secret)
    {
        try
        {
            return Base32Encoding.ToBytes(secret).Length >= 16;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IndexOutOfRangeException)
        {
            return false;
        }
    }
}
