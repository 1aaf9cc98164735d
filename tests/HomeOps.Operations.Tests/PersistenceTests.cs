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
}
