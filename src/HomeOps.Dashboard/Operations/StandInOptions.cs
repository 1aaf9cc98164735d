namespace HomeOps.Dashboard.Operations;

/// <summary>
/// Section <c>Operations:StandIns</c>: in simulator mode the workflow runner starts the simulator's stand-ins for
/// <c>task</c>, <c>talosctl</c> and <c>flux</c> instead of the real tools, and simulated Flux controllers answer the
/// Flux buttons. On by default when <c>Cluster:Mode</c> is Simulator; set <c>Enabled</c> to point a dashboard in
/// Kubeconfig mode at a simulator started elsewhere (the browser tests do).
/// </summary>
public sealed class StandInOptions
{
    public const string Section = "Operations:StandIns";

    public bool? Enabled { get; set; }

    /// <summary>The stand-in tool (homeops-sim-tool.dll); found next to the app or in the source checkout when empty.</summary>
    public string? ToolPath { get; set; }

    /// <summary>Seconds per simulated beat (the real tasks' 30 s sleeps become a beat or two).</summary>
    public double Pace { get; set; } = 1.0;

    /// <summary>Reset nodes come back through the bootstrap phases a few beats after the reset task ends.</summary>
    public bool AutoRejoin { get; set; } = true;

    /// <summary>Simulated Flux controllers react to the reconcile/suspend/resume patches of the Flux buttons.</summary>
    public bool FluxControllers { get; set; } = true;

    /// <summary>
    /// Seconds a stand-in waits before it acts (0 = none), for demos and tests of a step killed mid-run; only the
    /// invocations whose "tool args…" contain <see cref="HoldMatch"/> when that is set.
    /// </summary>
    public double HoldSeconds { get; set; }

    public string? HoldMatch { get; set; }

    /// <summary>
    /// The kubeconfig through which the stand-ins act on the simulated cluster (their Talos API, nodes and network);
    /// <c>Cluster:Kubeconfig</c> when empty. Separate so a test can stop the Kubernetes API the dashboard watches while
    /// the simulated Talos API stays reachable, as on a real cluster (talosctl does not go through the Kubernetes API).
    /// </summary>
    public string? Kubeconfig { get; set; }

    public TimeSpan FluxControllerInterval { get; set; } = TimeSpan.FromSeconds(1);
}
