using HomeOps.Operations.Persistence;
using HomeOps.Operations.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace HomeOps.Operations.Tests;

/// <summary>
/// The dashboard's server-side sessions live in the operations database, provider-neutral: a new database gets the
/// table from the EF model, one created before sessions existed gets it from SchemaUpgrade, and PostgreSQL's upgrade
/// statement declares the same columns EnsureCreated would.
/// </summary>
public class SessionTableTests
{
    [Fact]
    public async Task A_SQLite_database_created_before_sessions_existed_gets_the_table_on_start()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        var db = new OperationsDatabase(new DatabaseOptions(), new OperationsOptions { DataDirectory = dir.Path });
        await db.EnsureCreatedAsync(ct);
        await using (var ctx = db.CreateContext())
            await ctx.Database.ExecuteSqlRawAsync("DROP TABLE \"sessions\";", ct);   // as an older release left it

        await db.EnsureCreatedAsync(ct);
        var now = DateTimeOffset.Parse("2026-12-07T12:00:00Z");
        await using (var ctx = db.CreateContext())
        {
            ctx.Sessions.Add(new SessionRecord { Key = new string('a', SessionRecord.KeyLength), User = "admin", Ticket = [1, 2, 3], CreatedAt = now, UpdatedAt = now, ExpiresAt = now.AddHours(8) });
            ctx.Sessions.Add(new SessionRecord { Key = "expired", User = "viewer", Ticket = [4], CreatedAt = now, UpdatedAt = now, ExpiresAt = now.AddMinutes(-1) });
            await ctx.SaveChangesAsync(ct);
        }
        await using (var ctx = db.CreateContext())
        {
            // Expiry compares in the database on SQLite too (ticks), which the sweep relies on.
            Assert.Equal(1, await ctx.Sessions.Where(s => s.ExpiresAt <= now).ExecuteDeleteAsync(ct));
            Assert.Equal("admin", Assert.Single(await ctx.Sessions.ToListAsync(ct)).User);
        }
    }

    [Fact]
    public void PostgreSQL_declares_the_sessions_table_the_same_when_created_and_when_upgraded()
    {
        using var dir = new TempDir();
        var db = new OperationsDatabase(new DatabaseOptions { ConnectionString = "Host=db.invalid;Database=homeops;Username=dash" }, new OperationsOptions { DataDirectory = dir.Path });
        using var ctx = db.CreateContext();
        var ddl = ctx.Database.GenerateCreateScript();
        var upgrade = string.Join("\n", SchemaUpgrade.PostgresTables);
        foreach (var column in new[]
                 {
                     $"\"Key\" character varying({SessionRecord.KeyLength}) NOT NULL", $"\"User\" character varying({SessionRecord.UserLength}) NOT NULL",
                     "\"Ticket\" bytea NOT NULL", "\"CreatedAt\" timestamp with time zone NOT NULL", "\"UpdatedAt\" timestamp with time zone NOT NULL",
                     "\"ExpiresAt\" timestamp with time zone NOT NULL", "CONSTRAINT \"PK_sessions\" PRIMARY KEY",
                 })
        {
            Assert.Contains(column, ddl);
            Assert.Contains(column, upgrade);
        }
        Assert.Contains("CREATE INDEX \"IX_sessions_ExpiresAt\" ON sessions (\"ExpiresAt\");", ddl);
    }
}
