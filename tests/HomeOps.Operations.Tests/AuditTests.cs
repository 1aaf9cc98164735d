using System.Text.Json;
using HomeOps.Operations.Audit;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Tests.Support;

namespace HomeOps.Operations.Tests;

public class AuditTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\"")]
    [InlineData("+1+1", "'+1+1")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Csv_cells_are_quoted_and_neutralised(string? value, string expected) => Assert.Equal(expected, AuditExport.Cell(value));

    [Fact]
    public void Csv_export_has_a_header_and_one_rfc4180_record_per_entry()
    {
        var csv = AuditExport.ToCsv(
        [
            new AuditEntry
            {
                Id = 7, At = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero), User = "=cmd|' /C calc'!A0", Groups = "ops,admins",
                Action = "run.start", Target = "cluster:safe-reset mini02", Parameters = "{\"nodes\":\"mini02\"}",
                Reason = "disk \"full\"\nagain", Confirmation = "SAFE-RESET", Outcome = AuditOutcome.Refused, ExitCode = null,
            },
        ]);
        var lines = csv.Split("\r\n");
        Assert.StartsWith("id,at,user,groups,action,target,parameters,reason,confirmation,preflight,started,ended,outcome,exitCode,runId,message", lines[0]);
        Assert.StartsWith("7,2026-11-25T10:00:00.000Z,'=cmd|' /C calc'!A0,\"ops,admins\",run.start,cluster:safe-reset mini02,\"{\"\"nodes\"\":\"\"mini02\"\"}\",\"disk \"\"full\"\"\nagain\",SAFE-RESET,,,,Refused,,,", csv.Split("\r\n", 2)[1]);
        Assert.EndsWith("\r\n", csv);
    }

    [Fact]
    public void Json_export_round_trips_and_escapes_markup()
    {
        var json = AuditExport.ToJson([new AuditEntry { Id = 1, User = "<script>alert(1)</script>", Action = "flux.suspend", Outcome = AuditOutcome.Succeeded }]);
        Assert.DoesNotContain("<script>", json);
        var back = JsonSerializer.Deserialize<JsonElement>(json);
        Assert.Equal("<script>alert(1)</script>", back[0].GetProperty("user").GetString());
        Assert.Equal("Succeeded", back[0].GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Queries_filter_by_user_action_outcome_and_time_on_a_real_sqlite_file()
    {
        using var dir = new TempDir();
        var db = new OperationsDatabase(new DatabaseOptions(), new OperationsOptions { DataDirectory = dir.Path });
        await db.EnsureCreatedAsync(Ct);
        var sink = new RecordingSink();
        var log = new EfAuditLog(db, [sink]);
        var t0 = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
        await log.RecordAsync(new AuditEntry { At = t0, User = "admin", Action = "run.start", Outcome = AuditOutcome.Started }, Ct);
        await log.RecordAsync(new AuditEntry { At = t0.AddHours(1), User = "viewer", Action = "run.start", Outcome = AuditOutcome.Refused }, Ct);
        var suspend = await log.RecordAsync(new AuditEntry { At = t0.AddHours(2), User = "admin", Action = "flux.suspend", Outcome = AuditOutcome.Succeeded }, Ct);
        await log.RecordAsync(new AuditEntry { At = t0.AddHours(3), User = "admin", Action = "run.start", Outcome = AuditOutcome.Refused }, Ct);

        Assert.Equal(3, (await log.QueryAsync(new AuditQuery(User: "admin"), Ct)).Count);
        Assert.Equal(3, (await log.QueryAsync(new AuditQuery(Action: "run.start"), Ct)).Count);
        Assert.Equal(["admin", "viewer"], (await log.QueryAsync(new AuditQuery(Outcome: AuditOutcome.Refused), Ct)).Select(a => a.User));
        var window = await log.QueryAsync(new AuditQuery(From: t0.AddMinutes(30), To: t0.AddHours(2)), Ct);
        Assert.Equal(["flux.suspend", "run.start"], window.Select(a => a.Action));
        Assert.Equal(suspend.Id, window[0].Id); // newest first
        Assert.Single(await log.QueryAsync(new AuditQuery(User: "admin", Action: "run.start", Outcome: AuditOutcome.Refused), Ct));

        var first = (await log.QueryAsync(new AuditQuery(Action: "run.start", Outcome: AuditOutcome.Started), Ct)).Single();
        await log.CompleteAsync(first.Id, AuditOutcome.Failed, t0.AddMinutes(5), 3, "step two: exited with code 3", Ct);
        var completed = (await log.QueryAsync(new AuditQuery(Outcome: AuditOutcome.Failed), Ct)).Single();
        Assert.Equal((3, t0.AddMinutes(5)), (completed.ExitCode, completed.EndedAt));
        Assert.Equal(5, sink.Entries.Count); // four records and one completion reached the sink
    }

    [Fact]
    public async Task A_failing_sink_never_fails_the_audit()
    {
        using var dir = new TempDir();
        var db = new OperationsDatabase(new DatabaseOptions(), new OperationsOptions { DataDirectory = dir.Path });
        await db.EnsureCreatedAsync(Ct);
        var log = new EfAuditLog(db, [new ThrowingSink()]);
        var e = await log.RecordAsync(new AuditEntry { At = DateTimeOffset.UtcNow, User = "admin", Action = "x" }, Ct);
        Assert.True(e.Id > 0);
    }

    private sealed class RecordingSink : IAuditSink
    {
        public List<AuditEntry> Entries { get; } = [];
        public Task WriteAsync(AuditEntry entry, CancellationToken ct) { lock (Entries) Entries.Add(entry); return Task.CompletedTask; }
    }

    private sealed class ThrowingSink : IAuditSink
    {
        public Task WriteAsync(AuditEntry entry, CancellationToken ct) => throw new InvalidOperationException("events API down");
    }
}
