using Microsoft.EntityFrameworkCore;

namespace HomeOps.Operations.Persistence;

/// <summary>
/// Creates contexts for the configured provider: PostgreSQL when <c>Database:ConnectionString</c> is set (so several
/// replicas share runs, locks' records and audit), otherwise a SQLite file under <c>Operations:DataDirectory</c>.
/// </summary>
public sealed class OperationsDatabase
{
    private readonly DbContextOptions<OperationsDbContext> _options;

    public OperationsDatabase(DatabaseOptions database, OperationsOptions operations)
    {
        var builder = new DbContextOptionsBuilder<OperationsDbContext>();
        if (!string.IsNullOrWhiteSpace(database.ConnectionString))
        {
            builder.UseNpgsql(database.ConnectionString);
            Provider = "PostgreSQL";
            Location = "PostgreSQL (Database:ConnectionString)";
        }
        else
        {
            var dir = Path.GetFullPath(operations.DataDirectory);
            Directory.CreateDirectory(dir);
            var file = Path.Combine(dir, "operations.db");
            // Default Timeout: how long a writer waits for SQLite's lock before failing (busy retries).
            builder.UseSqlite($"Data Source={file};Default Timeout=30;Pooling=True");
            Provider = "Sqlite";
            Location = file;
        }
        _options = builder.Options;
    }

    public string Provider { get; }

    /// <summary>The SQLite file path, or a description of the PostgreSQL target (never the connection string: it may hold a password).</summary>
    public string Location { get; }

    public OperationsDbContext CreateContext() => new(_options);

    /// <summary>
    /// Creates the schema if missing and adds columns introduced since an existing database was created
    /// (<see cref="SchemaUpgrade"/>). SQLite is switched to WAL so readers never wait for the writer.
    /// </summary>
    public async Task EnsureCreatedAsync(CancellationToken ct = default)
    {
        await using var db = CreateContext();
        await db.Database.EnsureCreatedAsync(ct).ConfigureAwait(false);
        await SchemaUpgrade.ApplyAsync(db, ct).ConfigureAwait(false);
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct).ConfigureAwait(false);
    }
}
