using System.Text.Json;
using HomeOps.Cluster.State;
using HomeOps.Operations;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Timeline;

namespace HomeOps.Cli.Tests;

/// <summary><c>homeops status --since</c>: the real CLI process reads the timeline a recorder wrote into a dashboard's SQLite file.</summary>
public sealed class StatusSinceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task SeedAsync(string dataDir)
    {
        var db = new OperationsDatabase(new DatabaseOptions(), new OperationsOptions { DataDirectory = dataDir });
        await db.EnsureCreatedAsync(Ct);
        var recorder = new TimelineRecorder(new ClusterStore(), db, new TimelineOptions(), TimeProvider.System);
        var now = DateTimeOffset.UtcNow;
        recorder.Record(new TimelineEntry { At = now.AddHours(-3), Category = TimelineCategory.Revision, Area = "Flux", Kind = "Kustomization",
            Namespace = "flux-system", Name = "old-change", Summary = "revision a → b" });
        recorder.Record(new TimelineEntry { At = now.AddMinutes(-20), Category = TimelineCategory.Revision, Area = "Flux", Kind = "GitRepository",
            Namespace = "flux-system", Name = "flux-system", Summary = "revision main@sha1:1111111 → main@sha1:2222222",
            Link = "https://github.com/onedr0p/home-ops/commit/2222222222222222222222222222222222222222" });
        recorder.Record(new TimelineEntry { At = now.AddMinutes(-5), Category = TimelineCategory.Health, Area = "Nodes", Kind = "Node",
            Name = "mini02\u001b[2J", Summary = "Healthy → Failed (KubeletNotReady)", From = "Healthy", To = "Failed", SeenAtStart = true });
        await recorder.FlushAsync(Ct);
    }

    [Fact]
    public async Task Since_1h_prints_the_recent_entries_newest_first_in_a_table_and_as_json()
    {
        using var dir = new TempFolder();
        await SeedAsync(dir.Path);

        var table = await CliProcess.RunAsync(["status", "--since", "1h", "--data-dir", dir.Path]);
        Assert.True(table.ExitCode == 0, table.ToString());
        var lines = table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("(2, newest first)", lines[0]);
        Assert.StartsWith("WHEN (UTC)", lines[1]);
        Assert.Contains("Node mini02", lines[2]);
        Assert.Contains("(seen at start)", lines[2]);
        Assert.DoesNotContain("\u001b", table.Stdout); // cluster text cannot drive the terminal
        Assert.Contains("https://github.com/onedr0p/home-ops/commit/2222222", lines[3]);
        Assert.DoesNotContain("old-change", table.Stdout);

        var json = await CliProcess.RunAsync(["status", "--since", "4h", "--data-dir", dir.Path, "--output", "json"]);
        Assert.True(json.ExitCode == 0, json.ToString());
        using var doc = JsonDocument.Parse(json.Stdout);
        var entries = doc.RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["mini02\u001b[2J", "flux-system", "old-change"], entries.Select(e => e.GetProperty("name").GetString()));
        Assert.Equal("Health", entries[0].GetProperty("category").GetString());
        Assert.True(entries[0].GetProperty("seenAtStart").GetBoolean());
    }

    [Fact]
    public async Task Bad_since_a_missing_database_and_a_cluster_source_are_refused_with_exit_2()
    {
        using var dir = new TempFolder();
        var bad = await CliProcess.RunAsync(["status", "--since", "soon"]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--since 'soon': expected a positive number with s, m, h or d", bad.Stderr);

        var missing = await CliProcess.RunAsync(["status", "--since", "1h", "--data-dir", dir.Path]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no dashboard database at", missing.Stderr);
        Assert.False(File.Exists(Path.Combine(dir.Path, "operations.db")), "reading must not create an empty database");

        var both = await CliProcess.RunAsync(["status", "--since", "1h", "--simulator"]);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("--since reads the dashboard's timeline database", both.Stderr);
    }
}
