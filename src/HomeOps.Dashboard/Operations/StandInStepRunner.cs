using HomeOps.Operations.Runners;
using HomeOps.Simulator.OpsCommands;

namespace HomeOps.Dashboard.Operations;

/// <summary>
/// The "local" runner in simulator mode: the same <see cref="LocalProcessRunner"/> (real processes, argument arrays,
/// tree kill), with the stand-ins' folder first on the child's PATH and <c>task</c>/<c>talosctl</c>/<c>flux</c>
/// resolved to the stand-in wrappers (a program name is looked up on the dashboard's own PATH, not the child's).
/// The argv the operator saw is unchanged apart from that lookup.
/// </summary>
public sealed class StandInStepRunner(LocalProcessRunner inner, SimulatorStandIns standIns) : IStepRunner
{
    public string Name => inner.Name;

    public Task<StepRunResult> RunAsync(StepCommand command, Action<OutputLine> onOutput, CancellationToken cancellationToken)
    {
        if (standIns.Tools is not { } tools)
            return Task.FromResult(new StepRunResult(null, false, standIns.Problem ?? "the simulator's stand-ins are unavailable", TimeSpan.Zero));
        var argv = command.Argv.ToList();
        if (argv.Count > 0 && tools.Executables.TryGetValue(argv[0], out var wrapper)) argv[0] = wrapper;

        var env = new Dictionary<string, string?>(command.Environment, StringComparer.Ordinal);
        var path = env.TryGetValue("PATH", out var p) && p is not null ? p : Environment.GetEnvironmentVariable("PATH") ?? "";
        env["PATH"] = tools.BinDirectory + Path.PathSeparator + path;
        // The stand-ins reach the simulated cluster through HOMEOPS_SIM_KUBECONFIG only, never through a KUBECONFIG
        // inherited from the dashboard's environment; a KUBECONFIG the step sets itself (e.g. the writable file
        // `talosctl kubeconfig` recovers into) stays the step's.
        if (!command.Environment.TryGetValue("KUBECONFIG", out var own) || string.IsNullOrEmpty(own)) env["KUBECONFIG"] = standIns.Kubeconfig;
        env[ToolConsole.KubeconfigVariable] = standIns.Kubeconfig;
        env[ToolConsole.PaceVariable] = standIns.Options.Pace.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env[ToolConsole.StateDirectoryVariable] = standIns.LogDirectory;
        env[ToolConsole.AutoRejoinVariable] = standIns.Options.AutoRejoin ? "1" : "0";
        env[StepHold.SecondsVariable] = standIns.Options.HoldSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env[StepHold.MatchVariable] = standIns.Options.HoldMatch;
        return inner.RunAsync(command with { Argv = argv, Environment = env }, onOutput, cancellationToken);
    }
}
