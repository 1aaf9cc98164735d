namespace HomeOps.Operations.Persistence;

/// <summary>
/// A dashboard sign-in session held on the server: the browser's cookie carries only <see cref="Key"/>, so deleting
/// the row (sign-out, expiry, revocation) ends every copy of that cookie. <see cref="Ticket"/> is the serialized
/// authentication ticket, encrypted by the dashboard's data protection before it gets here (it holds tokens).
/// </summary>
public sealed class SessionRecord
{
    public const int KeyLength = 64;
    public const int UserLength = 200;

    public string Key { get; set; } = "";
    public string User { get; set; } = "";
    public byte[] Ticket { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>When the session ends regardless of activity (the ticket's ExpiresUtc).</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}
