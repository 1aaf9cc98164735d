using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace HomeOps.Dashboard.Auth;

/// <summary>
/// Argon2id password hashes in the PHC string format that <c>argon2</c>, libsodium and most tools print:
/// <c>$argon2id$v=19$m=65536,t=3,p=1$&lt;salt&gt;$&lt;hash&gt;</c> (salt and hash base64 without padding). The break-glass
/// account accepts it beside ASP.NET Core's PasswordHasher format; <c>homeops hash-password --argon2id</c> makes one.
/// One file, compiled into the dashboard and (linked, internal to each) the CLI, so both use the same format.
/// Parameters read from a hash are bounded, so a hash in the configuration cannot make a sign-in take minutes or gigabytes.
/// </summary>
internal static class Argon2idHash
{
    public const string Prefix = "$argon2id$";

    /// <summary>RFC 9106's second recommended option: 64 MiB, 3 passes, one lane.</summary>
    public const int DefaultMemoryKiB = 64 * 1024;
    public const int DefaultIterations = 3;
    public const int DefaultParallelism = 1;

    private const int MaxMemoryKiB = 1024 * 1024;   // 1 GiB
    private const int MaxIterations = 16;
    private const int MaxParallelism = 16;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Hash(string password, int memoryKiB = DefaultMemoryKiB, int iterations = DefaultIterations, int parallelism = DefaultParallelism)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Compute(password, salt, memoryKiB, iterations, parallelism, HashBytes);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Prefix}v=19$m={memoryKiB},t={iterations},p={parallelism}${Encode(salt)}${Encode(hash)}");
    }

    /// <summary>Whether <paramref name="phc"/> is a well-formed Argon2id hash this class can verify.</summary>
    public static bool IsHash(string phc) => TryParse(phc, out _);

    /// <summary>Constant-time comparison of the password's hash with the stored one; false for anything malformed.</summary>
    public static bool Verify(string phc, string password)
    {
        if (!TryParse(phc, out var p)) return false;
        var actual = Compute(password, p.Salt, p.MemoryKiB, p.Iterations, p.Parallelism, p.Hash.Length);
        return CryptographicOperations.FixedTimeEquals(actual, p.Hash);
    }

    private static byte[] Compute(string password, byte[] salt, int memoryKiB, int iterations, int parallelism, int length)
    {
        using var argon = new Argon2id(Encoding.UTF8.GetBytes(password))
        {
            Salt = salt,
            MemorySize = memoryKiB,
            Iterations = iterations,
            DegreeOfParallelism = parallelism,
        };
        return argon.GetBytes(length);
    }

    private sealed record Parsed(int MemoryKiB, int Iterations, int Parallelism, byte[] Salt, byte[] Hash);

    private static bool TryParse(string phc, out Parsed parsed)
    {
        parsed = null!;
        // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
        var parts = (phc ?? "").Trim().Split('$');
        if (parts.Length != 6 || parts[0].Length != 0 || parts[1] != "argon2id" || parts[2] != "v=19") return false;
        int? m = null, t = null, p = null;
        foreach (var kv in parts[3].Split(','))
        {
            var pair = kv.Split('=', 2);
            if (pair.Length != 2 || !int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var v)) return false;
            switch (pair[0])
            {
                case "m": m = v; break;
                case "t": t = v; break;
                case "p": p = v; break;
                default: return false;
            }
        }
        if (m is not { } memory || t is not { } iterations || p is not { } lanes) return false;
        if (lanes is < 1 or > MaxParallelism || iterations is < 1 or > MaxIterations || memory < 8 * lanes || memory > MaxMemoryKiB) return false;
        if (!TryDecode(parts[4], out var salt) || salt.Length < 8 || !TryDecode(parts[5], out var hash) || hash.Length is < 16 or > 64) return false;
        parsed = new Parsed(memory, iterations, lanes, salt, hash);
        return true;
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Contains('=')) return false;
        var padded = text + new string('=', (4 - text.Length % 4) % 4);
        var buffer = new byte[padded.Length];
        if (!Convert.TryFromBase64String(padded, buffer, out var n)) return false;
        bytes = buffer[..n];
        return true;
    }
}
