using HomeOps.Cluster.State;
using HomeOps.Operations.Audit;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Locking;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Runners;
using HomeOps.Operations.Workflows;

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
    public OperationsDatabase Database { get; }
    public EfAuditLog Audit { get; }
    public InProcessRunLock Lock { get; } = new();
    public WorkflowEngine Engine { get; private set; }

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
        Dir.Dispose();
    }
}
