namespace HomeOps.Simulator.Identity;

/// <summary>
/// A user of the simulated Authentik. A class with a hand-written ToString, never a record, so that the
/// password cannot reach a log through string formatting.
/// </summary>
public sealed class SimulatedUser
{
    public SimulatedUser(string username, string password, IReadOnlyList<string> groups, string? name = null, string? email = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        ArgumentException.ThrowIfNullOrEmpty(password);
        ArgumentNullException.ThrowIfNull(groups);
        Username = username;
        Password = password;
        Groups = groups.ToArray();
        Name = name ?? username;
        Email = email ?? $"{username}@homeops.invalid";
    }

    public string Username { get; }

    public string Password { get; }

    /// <summary>Authentik group names, as the <c>groups</c> claim carries them.</summary>
    public IReadOnlyList<string> Groups { get; }

    public string Name { get; }

    public string Email { get; }

    public override string ToString() => Username;
}
