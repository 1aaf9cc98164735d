using System.Security.Cryptography;
using System.Text;

namespace HomeOps.Simulator.Identity;

/// <summary>
/// The simulated Authentik's users: the built-in <c>admin</c> (operator) and <c>viewer</c>, plus any extra test users.
/// Passwords are kept only as SHA-256 digests for checking; the plain values live in the options the caller owns.
/// </summary>
internal sealed class UserDirectory
{
    public const string AdminUsername = "admin";
    public const string ViewerUsername = "viewer";

    private readonly Dictionary<string, Entry> _byUsername = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Entry> _bySubject = new(StringComparer.Ordinal);

    // Compared against when the username is unknown, so that a miss costs the same as a wrong password.
    private static readonly byte[] DecoyDigest = SHA256.HashData("decoy"u8);

    public UserDirectory(IEnumerable<SimulatedUser> users)
    {
        foreach (var user in users)
        {
            var entry = new Entry(user, SubjectOf(user.Username), Digest(user.Password));
            if (!_byUsername.TryAdd(user.Username, entry))
            {
                throw new ArgumentException($"Duplicate simulated user '{user.Username}'.", nameof(users));
            }

            _bySubject.Add(entry.Subject, entry);
        }
    }

    /// <summary>The two built-in users with their Authentik groups, plus the extra ones.</summary>
    public static IReadOnlyList<SimulatedUser> BuiltIn(string adminPassword, string viewerPassword, IEnumerable<SimulatedUser> extra) =>
    [
        new(AdminUsername, adminPassword, ["homeops-operators", "authentik Admins"], "HomeOps Admin", "admin@homeops.invalid"),
        new(ViewerUsername, viewerPassword, ["homeops-viewers"], "HomeOps Viewer", "viewer@homeops.invalid"),
        .. extra,
    ];

    /// <summary>Returns the user when the password matches, in time independent of where a mismatch is.</summary>
    public SimulatedUser? Verify(string? username, string? password)
    {
        var offered = Digest(password ?? string.Empty);
        Entry? entry;
        lock (_byUsername) entry = string.IsNullOrEmpty(username) ? null : _byUsername.GetValueOrDefault(username);
        if (entry is null)
        {
            CryptographicOperations.FixedTimeEquals(offered, DecoyDigest);
            return null;
        }

        return CryptographicOperations.FixedTimeEquals(offered, entry.PasswordDigest) ? entry.User : null;
    }

    public SimulatedUser? FindByUsername(string? username)
    {
        lock (_byUsername) return username is not null && _byUsername.TryGetValue(username, out var entry) ? entry.User : null;
    }

    public SimulatedUser? FindBySubject(string? subject)
    {
        lock (_byUsername) return subject is not null && _bySubject.TryGetValue(subject, out var entry) ? entry.User : null;
    }

    /// <summary>
    /// Changes a user's group membership, as an Authentik admin would: from now on userinfo and new tokens carry the new
    /// groups (tokens already issued keep theirs until they expire, as Authentik's JWTs do).
    /// </summary>
    public void SetGroups(string username, IReadOnlyList<string> groups)
    {
        lock (_byUsername)
        {
            var entry = _byUsername.TryGetValue(username, out var e) ? e : throw new ArgumentException($"No simulated user '{username}'.", nameof(username));
            var user = entry.User;
            var changed = entry with { User = new SimulatedUser(user.Username, user.Password, groups, user.Name, user.Email) };
            _byUsername[username] = changed;
            _bySubject[entry.Subject] = changed;
        }
    }

    public string SubjectOf(SimulatedUser user)
    {
        lock (_byUsername) return _byUsername[user.Username].Subject;
    }

    /// <summary>
    /// Authentik's default subject mode is a hashed user id (64 hex characters). Derived from the username only,
    /// so it stays the same across simulator restarts and a dashboard's stored identity keeps matching.
    /// </summary>
    private static string SubjectOf(string username) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("homeops-simulator/" + username.ToLowerInvariant())));

    private static byte[] Digest(string password) => SHA256.HashData(Encoding.UTF8.GetBytes(password));

    private sealed record Entry(SimulatedUser User, string Subject, byte[] PasswordDigest);
}
