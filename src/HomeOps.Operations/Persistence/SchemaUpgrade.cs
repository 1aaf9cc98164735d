using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace HomeOps.Operations.Persistence;

/// <summary>
/// The schema is created by <c>EnsureCreated</c> (no migrations history), which does nothing to a database that already
/// exists. Columns added after a database may have been created are listed here and added when missing — only nullable
/// columns, so existing rows stay valid and an older dashboard reading the same database simply ignores them.
/// </summary>
internal static class SchemaUpgrade
{
    public const int ProcessHostLength = 200;

    private sealed record AddedColumn(string Table, string Column, string SqliteType, string PostgresType);

    private static readonly AddedColumn[] Added =
    [
        // The identity of a step's process, so a restarted engine can find a step process that outlived its dashboard.
        new("run_steps", nameof(StepRecord.ProcessId), "INTEGER", "integer"),
        new("run_steps", nameof(StepRecord.ProcessStartTicks), "INTEGER", "bigint"),
        new("run_steps", nameof(StepRecord.ProcessHost), "TEXT", $"character varying({ProcessHostLength})"),
    ];

    // Tables introduced after the first release: created when missing (EnsureCreated does nothing on an existing database).
    // Same names and types as the EF model (OperationsDbContext); SQLite stores DateTimeOffset as UTC ticks.
    private static readonly string[] SqliteTables =
    [
        $"CREATE TABLE IF NOT EXISTS \"sessions\" (\"Key\" TEXT NOT NULL CONSTRAINT \"PK_sessions\" PRIMARY KEY, \"User\" TEXT NOT NULL, " +
        "\"Ticket\" BLOB NOT NULL, \"CreatedAt\" INTEGER NOT NULL, \"UpdatedAt\" INTEGER NOT NULL, \"ExpiresAt\" INTEGER NOT NULL);",
        "CREATE INDEX IF NOT EXISTS \"IX_sessions_ExpiresAt\" ON \"sessions\" (\"ExpiresAt\");",
    ];

    internal static readonly string[] PostgresTables =
    [
        $"CREATE TABLE IF NOT EXISTS \"sessions\" (\"Key\" character varying({SessionRecord.KeyLength}) NOT NULL CONSTRAINT \"PK_sessions\" PRIMARY KEY, " +
        $"\"User\" character varying({SessionRecord.UserLength}) NOT NULL, \"Ticket\" bytea NOT NULL, \"CreatedAt\" timestamp with time zone NOT NULL, " +
        "\"UpdatedAt\" timestamp with time zone NOT NULL, \"ExpiresAt\" timestamp with time zone NOT NULL);",
        "CREATE INDEX IF NOT EXISTS \"IX_sessions_ExpiresAt\" ON \"sessions\" (\"ExpiresAt\");",
    ];

    public static async Task ApplyAsync(OperationsDbContext db, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            // IF NOT EXISTS makes this idempotent and safe when several replicas start at once.
            foreach (var sql in PostgresStatements().Concat(PostgresTables))
                await db.Database.ExecuteSqlRawAsync(sql, ct).ConfigureAwait(false);
            return;
        }
        if (!db.Database.IsSqlite()) return;
        foreach (var sql in SqliteTables)
            await db.Database.ExecuteSqlRawAsync(sql, ct).ConfigureAwait(false);
        foreach (var table in Added.Select(c => c.Table).Distinct(StringComparer.Ordinal))
        {
            var existing = await SqliteColumnsAsync(db.Database.GetDbConnection(), table, ct).ConfigureAwait(false);
            foreach (var c in Added.Where(c => c.Table == table && !existing.Contains(c.Column)))
            {
                // Names and types are the constants above, never input.
                var sql = $"ALTER TABLE \"{c.Table}\" ADD COLUMN \"{c.Column}\" {c.SqliteType} NULL;";
                await db.Database.ExecuteSqlRawAsync(sql, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The statements run on PostgreSQL (also what a DBA applying schema changes by hand would run).</summary>
    public static IEnumerable<string> PostgresStatements() =>
        Added.Select(c => $"ALTER TABLE \"{c.Table}\" ADD COLUMN IF NOT EXISTS \"{c.Column}\" {c.PostgresType} NULL;");

    private static async Task<HashSet<string>> SqliteColumnsAsync(DbConnection connection, string table, CancellationToken ct)
    {
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await connection.OpenAsync(ct).ConfigureAwait(false);
        try
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT name FROM pragma_table_info('{table}');";
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false)) names.Add(reader.GetString(0));
            return names;
        }
        finally
        {
            if (opened) await connection.CloseAsync().ConfigureAwait(false);
        }
    }
}
