using HomeOps.Cluster.State;
using HomeOps.Operations.Audit;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Locking;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Runners;
using HomeOps.Operations.Workflows;
using Microsoft.EntityFrameworkCore;

namespace HomeOps.Operations.Tests.Support;

/// <summary>
/// A real engine on a real SQLite file in a temp dir, running real processes (fixed scripts in a fake checkout) and
/// reading a real <see cref="ClusterStore"/>. Test workflows are loaded through the override directory, exactly as an
/// operator's overrides would be.
/// </summary>
public sealed class EngineHarness : IAsyncDisposable
{
    /// <summary>Appends its name to runs.log on every run; fails while fail-NAME exists; blocks (exec sleep) while block-NAME exists.</summary>
    public const string StepScript = """
        echo "$1" >> runs.log
        echo "running $1"
        if [ -f "fail-$1" ]; then echo "failing $1 on purpose" >&2; exit 3; fi
        if [ -f "block-$1" ]; then echo $$ > "pid-$1"; exec sleep 1000; fi
        echo "done $1"
        """;

    /// <summary>Spawns a child sleep and waits for it: the tree a cancel must kill.</summary>
    public const string TreeScript = """
        sleep 1000 &
        echo $! > child.pid
        echo $$ > parent.pid
        wait
        """;

    /// <summary>Writes each argument to its own file (arg1, arg2, …) byte for byte, and prints argc.</summary>
    public const string ArgvScript = """
        i=0
        for a in "$@"; do i=$((i+1)); printf '%s' "$a" > "arg$i"; done
        echo "argc=$#"
        """;

    /// <summary>Prints 2000 numbered lines (about 70 KB).</summary>
    public const string NoisyScript = """
        i=0
        while [ $i -lt 2000 ]; do echo "line $i of the noisy step output"; i=$((i+1)); done
        """;

    /// <summary>Reads one line from stdin and prints it.</summary>
    public const string PromptScript = """
        printf 'Confirm emergency recovery (y/N): '
        read -r answer
        echo "answer=[$answer]"
        [ "$answer" = "y" ] || { echo "aborted"; exit 1; }
        """;

    private EngineHarness(TempDir dir, ClusterStore store, OperationsOptions options, WorkflowCatalog catalog)
    {
        Dir = dir;
        Store = store;
        Options = options;
        Catalog = catalog;
        Database = new OperationsDatabase(new DatabaseOptions(), options);
        Audit = new EfAuditLog(Database);
        Engine = NewEngine();
    }

    public TempDir Dir { get; }
    public string Checkout => Options.HomeOpsCheckout!;
    public ClusterStore Store { get; }
    public OperationsOptions Options { get; }
    public WorkflowCatalog Catalog { get; }
    public GateRegistry Gates { get; } = GateRegistry.CreateDefault();
    public OperationsDatabase Database { get; private set; }
    public EfAuditLog Audit { get; private set; }
    public InProcessRunLock Lock { get; private set; } = new();
    public WorkflowEngine Engine { get; private set; }

    /// <summary>Engines left running by <see cref="CrashAndRestartAsync"/>, stopped when the harness is disposed.</summary>
    private readonly List<WorkflowEngine> _crashed = [];

    public static async Task<EngineHarness> CreateAsync(string workflowsYaml, ClusterBuilder? cluster = null, Action<OperationsOptions>? configure = null)
    {
        var dir = new TempDir();
        var checkout = Directory.CreateDirectory(dir.File("checkout")).FullName;
        var defs = Directory.CreateDirectory(dir.File("definitions")).FullName;
        await File.WriteAllTextAsync(System.IO.Path.Combine(defs, "test-workflows.yaml"), workflowsYaml);
        await File.WriteAllTextAsync(System.IO.Path.Combine(checkout, "step.sh"), StepScript);
        await File.WriteAllTextAsync(System.IO.Path.Combine(checkout, "tree.sh"), TreeScript);
        await File.WriteAllTextAsync(System.IO.Path.Combine(checkout, "argv.sh"), ArgvScript);
        await File.WriteAllTextAsync(System.IO.Path.Combine(checkout, "noisy.sh"), NoisyScript);
        await File.WriteAllTextAsync(System.IO.Path.Combine(checkout, "prompt.sh"), PromptScript);
        var options = new OperationsOptions
        {
            DataDirectory = dir.File("data"),
            HomeOpsCheckout = checkout,
            DefinitionsDirectory = defs,
            InstanceId = "test-instance",
            DashboardNodeName = "elsewhere",
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
            OutputFlushInterval = TimeSpan.FromMilliseconds(100),
            GatePollInterval = TimeSpan.FromMilliseconds(50),
        };
        configure?.Invoke(options);
        var catalog = new WorkflowCatalog(GateRegistry.CreateDefault(), defs);
        var h = new EngineHarness(dir, (cluster ?? ClusterBuilder.HomeOps()).BuildStore(), options, catalog);
        await h.Engine.InitializeAsync(TestContext.Current.CancellationToken);
        return h;
    }

    public WorkflowEngine NewEngine() =>
        new(Catalog, Gates, new ClusterStoreStateSource(Store), Database, Audit, Lock, [new LocalProcessRunner()], Options);

    /// <summary>Stops the engine (running runs become Interrupted) and starts a fresh one on the same database file.</summary>
    public async Task<WorkflowEngine> RestartAsync()
    {
        await Engine.DisposeAsync();
        Engine = NewEngine();
        await Engine.InitializeAsync(TestContext.Current.CancellationToken);
        return Engine;
    }

    /// <summary>
    /// The dashboard dies, its step processes do not: the database as it is at this instant (a consistent SQLite
    /// snapshot, <c>VACUUM INTO</c>) is what the next engine opens, with a fresh in-process lock, exactly as after a
    /// SIGKILL. The old engine is never stopped — its processes live on — and whatever it writes later goes to the old
    /// file, as a dead process writes nothing. Returns the new engine, after its startup recovery.
    /// </summary>
    public async Task<WorkflowEngine> CrashAndRestartAsync()
    {
        var snapshotDir = Directory.CreateDirectory(Dir.File($"data-after-crash-{_crashed.Count + 1}")).FullName;
        await using (var db = Database.CreateContext())
        {
            var file = System.IO.Path.Combine(snapshotDir, "operations.db").Replace("'", "''");
            var vacuum = $"VACUUM INTO '{file}';";
            await db.Database.ExecuteSqlRawAsync(vacuum, TestContext.Current.CancellationToken);
        }
        _crashed.Add(Engine);
        Options.DataDirectory = snapshotDir;
        Database = new OperationsDatabase(new DatabaseOptions(), Options);
        Audit = new EfAuditLog(Database);
        Lock = new InProcessRunLock();
        Engine = NewEngine();
        await Engine.InitializeAsync(TestContext.Current.CancellationToken);
        return Engine;
    }

    /// <summary>The step record as stored now (the test reads what a restarted engine would read).</summary>
    public async Task<StepRecord> StoredStepAsync(Guid runId, int ordinal)
    {
        await using var db = Database.CreateContext();
        return await db.Steps.AsNoTracking().SingleAsync(s => s.RunId == runId && s.Ordinal == ordinal, TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// A test:three run as a dead process would have left it: step one done, step two <paramref name="stepTwo"/>
    /// (Running by default; <paramref name="configure"/> sets e.g. its recorded process), step three pending.
    /// </summary>
    public async Task<Guid> InsertRunAsync(string owner, DateTimeOffset heartbeat, RunStatus status = RunStatus.Running, StepStatus stepTwo = StepStatus.Running,
        Action<StepRecord>? configure = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var preview = await Engine.PreviewAsync(new RunRequest("test:three", TestWorkflows.NoParameters, null), Actors.Operator(), ct);
        var id = Guid.NewGuid();
        var audit = await Audit.RecordAsync(new AuditEntry { At = heartbeat, User = "admin", Action = "run.start", Target = "test:three", Outcome = AuditOutcome.Started, RunId = id }, ct);
        await using var db = Database.CreateContext();
        var steps = preview.Steps.Select(s => new StepRecord
        {
            Ordinal = s.Ordinal, StepId = s.Key, Title = s.Title, PlanJson = EngineJson.Write(s.Plan),
            Status = s.Ordinal switch { 0 => StepStatus.Succeeded, 1 => stepTwo, _ => StepStatus.Pending },
            CommandSucceeded = s.Ordinal == 0, Attempts = s.Ordinal <= 1 ? 1 : 0,
        }).ToList();
        configure?.Invoke(steps[1]);
        db.Runs.Add(new RunRecord
        {
            Id = id, WorkflowId = "test:three", WorkflowTitle = "Three steps", Status = status, Owner = status == RunStatus.Running ? owner : null,
            CreatedAt = heartbeat, StartedAt = heartbeat, UpdatedAt = heartbeat, HeartbeatAt = heartbeat, CurrentStep = 1, RequestedBy = "admin",
            ParametersJson = EngineJson.Write(new StoredParameters([], [], [], [])),
            DefinitionJson = EngineJson.Write(preview.Workflow), ActiveAuditId = audit.Id,
            Steps = steps,
        });
        await db.SaveChangesAsync(ct);
        Assert.Equal(3, await db.Steps.CountAsync(s => s.RunId == id, ct));
        return id;
    }

    public string Path(string name) => System.IO.Path.Combine(Checkout, name);

    public void Touch(string name) => File.WriteAllText(Path(name), "");

    public void Delete(string name) => File.Delete(Path(name));

    public string[] RunsLog() => File.Exists(Path("runs.log")) ? File.ReadAllLines(Path("runs.log")) : [];

    public async Task<RunView> Settle(Guid runId)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        return (await Engine.WaitUntilStoppedAsync(runId, cts.Token))!;
    }

    public Task<IReadOnlyList<AuditEntry>> AuditAsync(AuditQuery? q = null) => Audit.QueryAsync(q ?? new AuditQuery(), TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        foreach (var crashed in _crashed) await crashed.DisposeAsync();
        Dir.Dispose();
    }
}
