namespace HomeOps.Simulator.OpsCommands;

/// <summary>The tasks of the home-ops Taskfile the simulator can play, by name (cluster brief §2).</summary>
public sealed class SimulatedTasks(ToolConsole io, SimClusterClient cluster, IReadOnlyDictionary<string, string> vars, bool yes)
{
    private static readonly Dictionary<string, Func<TaskEnvironment, CancellationToken, Task>> ByName = new(StringComparer.Ordinal)
    {
        ["cluster:safe-reset"] = ClusterTasks.SafeResetAsync,
        ["cluster:safe-reboot"] = ClusterTasks.SafeRebootAsync,
        ["cluster:emergency-recovery"] = ClusterTasks.EmergencyRecoveryAsync,
        ["cluster:verify-safety"] = ClusterTasks.VerifySafetyAsync,
        ["cluster:status"] = ClusterTasks.StatusAsync,
        ["talos:reboot"] = ClusterTasks.TalosRebootAsync,
        ["talos:recover-kubeconfig"] = ClusterTasks.RecoverKubeconfigAsync,
        ["apps:deploy-cilium"] = AppTasks.DeployCiliumAsync,
        ["talos:fix-cilium"] = AppTasks.DeployCiliumAsync,
        ["flux:reconcile"] = AppTasks.FluxReconcileAsync,
        ["bootstrap:init-state"] = BootstrapTasks.InitStateAsync,
        ["bootstrap:status"] = BootstrapTasks.StatusAsync,
        ["bootstrap:reset"] = BootstrapTasks.ResetAsync,
        ["bootstrap:phased"] = BootstrapTasks.PhasedAsync,
        ["bootstrap:resume"] = BootstrapTasks.PhasedAsync,
        ["default"] = ListAsync,
    };

    static SimulatedTasks()
    {
        foreach (var phase in BootstrapTasks.Phases)
        {
            var n = phase.Number;
            ByName[phase.Task] = (env, ct) => BootstrapTasks.RunPhaseAsync(env, n, ct);
            ByName[$"bootstrap:phase-{n}"] = (env, ct) => BootstrapTasks.RunPhaseAsync(env, n, ct);
        }
    }

    public static bool Exists(string name) => ByName.ContainsKey(name);

    public static IEnumerable<string> Names => ByName.Keys.Order(StringComparer.Ordinal);

    public Task RunAsync(string name, CancellationToken ct) => ByName[name](new TaskEnvironment(io, cluster, vars, yes), ct);

    private static Task ListAsync(TaskEnvironment env, CancellationToken ct)
    {
        env.Io.Line("task: Available tasks for this project (homeops simulator stand-in):");
        foreach (var n in Names.Where(n => n != "default")) env.Io.Line($"* {n}");
        return Task.CompletedTask;
    }
}
