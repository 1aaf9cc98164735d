using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Operations.Runners;
using HomeOps.Operations.Tests.Support;
using HomeOps.Simulator;
using HomeOps.Simulator.OpsCommands;
using HomeOps.Simulator.Store;

namespace HomeOps.Operations.Tests.StandIns;

/// <summary>
/// A started simulator, the stand-in wrappers installed in a temp folder and a simulated checkout: tools are started
/// as real processes through the same <see cref="LocalProcessRunner"/> the engine uses, with argument vectors.
/// </summary>
public sealed class StandInRig : IAsyncDisposable
{
    private StandInRig(SimulatorHost simulator, TempDir dir, StandInTools tools, string checkout)
    {
        Simulator = simulator;
        Dir = dir;
        Tools = tools;
        Checkout = checkout;
    }

    public SimulatorHost Simulator { get; }
    public TempDir Dir { get; }
    public StandInTools Tools { get; }
    public string Checkout { get; }

    public static async Task<StandInRig> StartAsync(bool bootstrappedCheckout = true)
    {
        var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Scenarios = { Enabled = false } }, cancellationToken: TestContext.Current.CancellationToken);
        var dir = new TempDir();
        var tool = StandInInstaller.LocateTool() ?? throw new InvalidOperationException("homeops-sim-tool.dll is not next to the tests (project reference)");
        var tools = StandInInstaller.Install(dir.File("bin"), tool);
        var checkout = StandInInstaller.CreateSimulatedCheckout(dir.File("checkout"), bootstrappedCheckout);
        return new StandInRig(simulator, dir, tools, checkout);
    }

    public sealed record Result(int? ExitCode, string Stdout, string Stderr, IReadOnlyList<string> Lines)
    {
        public string All => Stdout + Stderr;
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    /// <summary>Runs a stand-in by its wrapper (argv[0] = the script), with the kubeconfig as a workflow passes it.</summary>
    public async Task<Result> RunAsync(IReadOnlyList<string> argv, string? stdin = null, bool autoRejoin = true, bool passKubeconfig = true, double pace = 0.1, string? kubeconfig = null,
        IReadOnlyDictionary<string, string?>? extraEnv = null)
    {
        var env = new Dictionary<string, string?>
        {
            [ToolConsole.PaceVariable] = pace.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [ToolConsole.StateDirectoryVariable] = Dir.File("state"),
            [ToolConsole.AutoRejoinVariable] = autoRejoin ? "1" : "0",
            ["KUBECONFIG"] = kubeconfig ?? (passKubeconfig ? Simulator.KubeconfigPath : null),
            [ToolConsole.KubeconfigVariable] = passKubeconfig ? null : Simulator.KubeconfigPath,
            // As the dashboard's stand-in runner does: the stand-ins (task, talosctl, flux, mise) first on PATH.
            ["PATH"] = Tools.BinDirectory + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
        };
        foreach (var (k, v) in extraEnv ?? new Dictionary<string, string?>()) env[k] = v;
        var resolved = new List<string>(argv);
        if (Tools.Executables.TryGetValue(argv[0], out var script)) resolved[0] = script;
        var lines = new ConcurrentQueue<OutputLine>();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(60));
        var result = await new LocalProcessRunner().RunAsync(new StepCommand(resolved, env, Checkout, stdin), lines.Enqueue, cts.Token);
        var stdout = string.Join("\n", lines.Where(l => l.Stream == OutputStream.Stdout).Select(l => l.Text));
        var stderr = string.Join("\n", lines.Where(l => l.Stream == OutputStream.Stderr).Select(l => l.Text));
        var r = new Result(result.ExitCode, stdout, stderr, lines.Select(l => l.Text).ToList());
        TestContext.Current.TestOutputHelper?.WriteLine($"$ {string.Join(" ", argv)}\n{r}");
        return r;
    }

    public string Marker(string name) => Path.Combine(Checkout, ".bootstrap-state", name);

    public bool HasMarker(string name) => File.Exists(Marker(name));

    public JsonObject Node(string name) => Simulator.Cluster.Get(Kinds.Node, null, name) ?? throw new InvalidOperationException($"no node {name}");

    public string ReadyStatus(string node) => Node(node).Condition("Ready").String("status") ?? "";

    public bool IsReady(string node) => ReadyStatus(node) == "True";

    public IEnumerable<string> TaintKeys(string node) =>
        (Node(node)["spec"]?["taints"] as JsonArray ?? []).OfType<JsonObject>().Select(t => t.String("key") ?? "");

    public bool InMaintenance(string node) => Node(node)["metadata"]?["annotations"]?[SimNodes.MaintenanceAnnotation] is not null;

    public string? PeeringState(string node) =>
        (Simulator.Cluster.Get(Kinds.BgpNodeConfig, null, node)?["status"]?["bgpInstances"] as JsonArray)?.OfType<JsonObject>()
        .SelectMany(i => (i["peers"] as JsonArray ?? []).OfType<JsonObject>()).FirstOrDefault().String("peeringState");

    public string? LonghornReady(string node) =>
        Simulator.Cluster.Get(Kinds.LonghornNode, "longhorn-system", node)?.Condition("Ready").String("status");

    public async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync();
        Dir.Dispose();
    }
}
