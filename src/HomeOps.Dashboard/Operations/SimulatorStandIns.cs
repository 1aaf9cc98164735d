using HomeOps.Simulator.OpsCommands;

namespace HomeOps.Dashboard.Operations;

/// <summary>
/// The stand-in executables of this process: written once into <c>&lt;data&gt;/standins/bin</c> (sh wrappers that exec
/// the stand-in tool), with the simulated checkout next to them. Null tools when the tool cannot be found: steps then
/// fail with that message instead of silently running something else.
/// </summary>
public sealed class SimulatorStandIns
{
    private readonly Lazy<StandInTools?> _tools;

    public SimulatorStandIns(StandInOptions options, string dataDirectory, string simulatorKubeconfig, ILogger<SimulatorStandIns> log)
    {
        Options = options;
        Root = Path.Combine(Path.GetFullPath(dataDirectory), "standins");
        Kubeconfig = simulatorKubeconfig;
        _tools = new Lazy<StandInTools?>(() =>
        {
            if (!SimClusterClient.IsLoopback(ServerOf(simulatorKubeconfig)))
            {
                Problem = $"the simulator's stand-ins act only on a simulator on loopback, but Cluster:Kubeconfig ({simulatorKubeconfig}) names {ServerOf(simulatorKubeconfig) ?? "no server"}: turn Operations:StandIns:Enabled off for a real cluster";
                log.LogError("Stand-ins refused: {Problem}", Problem);
                return null;
            }
            var tool = StandInInstaller.LocateTool(options.ToolPath);
            if (tool is null)
            {
                Problem = "the simulator's stand-in tool (homeops-sim-tool.dll) was not found: build src/HomeOps.Simulator.Tools or set Operations:StandIns:ToolPath";
                log.LogWarning("Stand-ins unavailable: {Problem}", Problem);
                return null;
            }
            var tools = StandInInstaller.Install(Path.Combine(Root, "bin"), tool);
            log.LogInformation("Simulator stand-ins for {Tools} written to {Directory} (tool {Tool})", string.Join(", ", tools.Executables.Keys), tools.BinDirectory, tool);
            return tools;
        }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public StandInOptions Options { get; }

    public string Root { get; }

    /// <summary>The simulated cluster's kubeconfig, for tools the workflow gives no KUBECONFIG (talosctl).</summary>
    public string Kubeconfig { get; }

    public string? Problem { get; private set; }

    public StandInTools? Tools => _tools.Value;

    public string LogDirectory => Path.Combine(Root, "logs");

    /// <summary>The API server of the kubeconfig's current context (null when it cannot be read).</summary>
    public static string? ServerOf(string kubeconfig)
    {
        try { return k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig).Host; }
        catch (Exception) { return null; }
    }

    /// <summary>Where steps run in simulator mode when no home-ops checkout is configured.</summary>
    public static string CheckoutUnder(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), "standins", "checkout");
}
