using System.Security.Claims;
using HomeOps.Operations.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace HomeOps.Dashboard.Auth;

/// <summary>
/// Server-side sessions: the session cookie carries only a random key; the ticket (principal, tokens) lives in the
/// operations database (SQLite or PostgreSQL, plain EF Core), encrypted with the app's data protection. Sign-out deletes
/// the row, so a copied cookie stops working; an expired row is treated as missing and swept by <see cref="SessionCleanup"/>.
/// </summary>
public static class ServerSessions
{
    /// <summary>The session's key, also a claim so that an open page (a circuit) can find its session.</summary>
    public const string SessionIdClaim = "homeops_sid";

    public static IServiceCollection AddServerSessions(this IServiceCollection services)
    {
        services.AddSingleton<DatabaseTicketStore>();
        services.AddSingleton<SessionRevalidation>();
        services.AddHostedService<SessionCleanup>();
        services.AddOptions<CookieAuthenticationOptions>(AuthenticationSetup.CookieScheme)
            .Configure<DatabaseTicketStore>((o, store) => o.SessionStore = store);
        return services;
    }

    /// <summary>Adds the session id claim at sign-in (called from the cookie's OnSigningIn).</summary>
    public static void AddSessionId(ClaimsIdentity? identity)
    {
        if (identity is null || identity.HasClaim(c => c.Type == SessionIdClaim)) return;
        identity.AddClaim(new Claim(SessionIdClaim, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))));
    }
}

/// <summary>The cookie handler's <see cref="ITicketStore"/>, over the operations database.</summary>
public sealed class DatabaseTicketStore(OperationsDatabase database, IDataProtectionProvider dataProtection, TimeProvider time) : ITicketStore
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("HomeOps.Dashboard.Sessions.v1");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = ticket.Principal.FindFirst(ServerSessions.SessionIdClaim)?.Value
                  ?? Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        await using var db = database.CreateContext();
        var existing = await db.Sessions.FindAsync(key);
        if (existing is null)
        {
            existing = new SessionRecord { Key = key, CreatedAt = now };
            db.Sessions.Add(existing);
        }
        Fill(existing, ticket, now);
        await db.SaveChangesAsync();
        return key;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        await using var db = database.CreateContext();
        var existing = await db.Sessions.FindAsync(key);
        // A renewal of a removed session must not bring it back.
        if (existing is null) return;
        Fill(existing, ticket, time.GetUtcNow());
        await db.SaveChangesAsync();
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > SessionRecord.KeyLength) return null;
        await using var db = database.CreateContext();
        var record = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Key == key);
        if (record is null || record.ExpiresAt <= time.GetUtcNow()) return null;
        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect(record.Ticket));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;   // keys lost or rotated out: the user signs in again
        }
    }

    public async Task RemoveAsync(string key)
    {
        await using var db = database.CreateContext();
        await db.Sessions.Where(s => s.Key == key).ExecuteDeleteAsync();
    }

    /// <summary>Deletes expired sessions; returns how many.</summary>
    public async Task<int> RemoveExpiredAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = database.CreateContext();
        return await db.Sessions.Where(s => s.ExpiresAt <= now).ExecuteDeleteAsync(ct);
    }

    private void Fill(SessionRecord record, AuthenticationTicket ticket, DateTimeOffset now)
    {
        var user = ticket.Principal.FindFirst("preferred_username")?.Value ?? ticket.Principal.Identity?.Name ?? "";
        record.User = user.Length > SessionRecord.UserLength ? user[..SessionRecord.UserLength] : user;
        record.Ticket = _protector.Protect(TicketSerializer.Default.Serialize(ticket));
        record.UpdatedAt = now;
        record.ExpiresAt = ticket.Properties.ExpiresUtc ?? now.AddHours(8);
    }
}

/// <summary>Sweeps expired sessions every few minutes (they are already refused when read).</summary>
public sealed class SessionCleanup(DatabaseTicketStore store, TimeProvider time, ILogger<SessionCleanup> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var removed = await store.RemoveExpiredAsync(stoppingToken);
                    if (removed > 0) logger.LogInformation("Removed {Count} expired session(s)", removed);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning("Expired sessions could not be removed: {Error}", ex.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }
}
