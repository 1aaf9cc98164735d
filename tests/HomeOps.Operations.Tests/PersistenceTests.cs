using HomeOps.Operations.Persistence;
using HomeOps.Operations.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace HomeOps.Operations.Tests;

public class PersistenceTests
{
    [Fact]
    public async Task Sqlite_is_the_default_a_file_under_the_data_directory_in_WAL_mode()
    {
        using var dir = new TempDir();
        var db = new OperationsDatabase(new DatabaseOptions(), new OperationsOptions { DataDirectory = dir.File("data") });
        await db.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        Assert.Equal("Sqlite", db.Provider);
        Assert.Equal(dir.File("data/operations.db"), db.Location);
        Assert.True(File.Exists(db.Location));
        await using var ctx = db.CreateContext();
        var mode = await ctx.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal("wal", Assert.Single(mode));
    }

    [Fact]
    public void A_connection_string_switches_to_PostgreSQL_with_native_timestamps_without_connecting()
    {
        using var dir = new TempDir();
        var db = new OperationsDatabase(new DatabaseOptions { ConnectionString = "Host=db.invalid;Database=homeops;Username=dash;Password=secret" },
            new OperationsOptions { DataDirectory = dir.Path });
        Assert.Equal("PostgreSQL", db.Provider);
        Assert.DoesNotContain("secret", db.Location);
        using var ctx = db.CreateContext();
        Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", ctx.Database.ProviderName);
        var ddl = ctx.Database.GenerateCreateScript();
        Assert.Contains("CREATE TABLE audit", ddl);
        Assert.Contains("\"At\" timestamp with time zone NOT NULL", ddl);
        Assert.Contains("CREATE TABLE runs", ddl);
        Assert.Empty(Directory.GetFiles(dir.Path)); // no SQLite file created
    }

    [Fact]
    public async Task A_database_created_before_the_step_process_columns_gets_them_at_startup_and_keeps_its_rows()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        var db = new OperationsDatabase(new DatabaseOptions(), new OperationsOptions { DataDirectory = dir.File("data") });
        await db.EnsureCreatedAsync(ct);
        var runId = Guid.NewGuid();
        await using (var ctx = db.CreateContext())
        {
            // The schema as an older dashboard created it: run_steps without the process columns, with a row in it.
            foreach (var column in ProcessColumns)
            {
                var drop = $"ALTER TABLE run_steps DROP COLUMN \"{column}\";";
                await ctx.Database.ExecuteSqlRawAsync(drop, ct);
            }
            var now = DateTimeOffset.UtcNow.UtcTicks;
            await ctx.Database.ExecuteSqlAsync($"INSERT INTO runs (Id, WorkflowId, WorkflowTitle, Destructive, Status, ParametersJson, DefinitionJson, RequestedBy, RequestedGroupsJson, PreflightBlocked, CreatedAt, UpdatedAt, CancelRequested) VALUES ({runId}, 'test:three', 'Three', 0, 'Succeeded', '{{}}', '{{}}', 'admin', '[]', 0, {now}, {now}, 0)", ct);
            await ctx.Database.ExecuteSqlAsync($"INSERT INTO run_steps (RunId, Ordinal, StepId, Title, PlanJson, Status, CommandSucceeded, Attempts, Output, OutputTruncated, OutputLineCount, GateResultsJson) VALUES ({runId}, 0, 'one', 'One', '{{}}', 'Succeeded', 1, 1, 'done one', 0, 1, '[]')", ct);
            Assert.DoesNotContain("ProcessId", await Columns(ctx, ct));
        }

        await db.EnsureCreatedAsync(ct); // the next start
        await db.EnsureCreatedAsync(ct); // and the one after: nothing left to add, no error

        await using (var ctx = db.CreateContext())
        {
            Assert.Superset(ProcessColumns.ToHashSet(), (await Columns(ctx, ct)).ToHashSet());
            var step = await ctx.Steps.SingleAsync(s => s.RunId == runId, ct);
            Assert.Equal(("done one", null, null, null), (step.Output, step.ProcessId, step.ProcessStartTicks, step.ProcessHost));
            step.ProcessId = 4242;
            step.ProcessStartTicks = 123456789012;
            step.ProcessHost = "boot=x pidns=pid:[4026531836]";
            await ctx.SaveChangesAsync(ct);
        }
        await using (var ctx = db.CreateContext())
            Assert.Equal(123456789012, (await ctx.Steps.SingleAsync(s => s.RunId == runId, ct)).ProcessStartTicks);
    }

    [Fact]
    public void PostgreSQL_gets_the_same_step_process_columns_when_created_and_when_upgraded()
    {
        using var dir = new TempDir();
        var db = new OperationsDatabase(new DatabaseOptions { ConnectionString = "Host=db.invalid;Database=homeops;Username=dash" }, new OperationsOptions { DataDirectory = dir.Path });
        using var ctx = db.CreateContext();
        var ddl = ctx.Database.GenerateCreateScript();
        var upgrade = SchemaUpgrade.PostgresStatements().ToList();
        Assert.Equal(ProcessColumns.Length, upgrade.Count(s => s.Contains("\"run_steps\"", StringComparison.Ordinal)));
        Assert.Single(upgrade, s => s.Contains("\"timeline\" ADD COLUMN IF NOT EXISTS \"Count\" integer", StringComparison.Ordinal));
        // Each added column is declared exactly as EnsureCreated declares it on a new database.
        foreach (var statement in upgrade)
        {
            var declaration = statement[(statement.IndexOf("EXISTS ", StringComparison.Ordinal) + "EXISTS ".Length)..].Replace(" NULL;", "", StringComparison.Ordinal);
            Assert.Contains(declaration, ddl);
        }
        Assert.Contains("\"ProcessStartTicks\" bigint", ddl);
    }

    [Fact]
    public async Task A_timeline_created_before_merged_counts_gets_the_count_column_and_keeps_its_rows()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        var db = new OperationsDatabase(new DatabaseOptions(), new OperationsOptions { DataDirectory = dir.File("data") });
        await db.EnsureCreatedAsync(ct);
        await using (var ctx = db.CreateContext())
        {
            await ctx.Database.ExecuteSqlRawAsync("ALTER TABLE timeline DROP COLUMN \"Count\";", ct);
            var now = DateTimeOffset.UtcNow.UtcTicks;
            await ctx.Database.ExecuteSqlAsync($"INSERT INTO timeline (At, Category, Area, Kind, Namespace, Name, Summary, SeenAtStart) VALUES ({now}, 'Warning', 'Workloads', 'Pod', 'headlamp', 'headlamp-1', 'BackOff: x', 0)", ct);
        }

        await db.EnsureCreatedAsync(ct); // the next start adds the column

        await using (var ctx = db.CreateContext())
        {
            var row = await ctx.Timeline.SingleAsync(ct);
            Assert.Equal(("headlamp-1", (int?)null), (row.Name, row.Count));
            row.Count = 3;
            await ctx.SaveChangesAsync(ct);
        }
        await using (var ctx = db.CreateContext())
            Assert.Equal(3, (await ctx.Timeline.SingleAsync(ct)).Count);
    }

    private static readonly string[] ProcessColumns = [nameof(StepRecord.ProcessId), nameof(StepRecord.ProcessStartTicks), nameof(StepRecord.ProcessHost)];

    private static Task<List<string>> Columns(OperationsDbContext ctx, CancellationToken ct) =>
        ctx.Database.SqlQueryRaw<string>("SELECT name AS Value FROM pragma_table_info('run_steps')").ToListAsync(ct);
}
