using HomeOps.Cluster.Model;
using HomeOps.Simulator;

namespace HomeOps.EndToEnd;

/// <summary>
/// What the reset→rebuild drills share (<see cref="ResetAndRebuildTests"/> in Chromium, <see cref="StationOutageTests"/>
/// through the API with the Kubernetes API stopped): the strict stand-ins' settings, the three nodes, the bootstrap's
/// step keys, and whether a node is in maintenance mode in the simulator itself.
/// </summary>
public static class StrictStandIns
{
    public static readonly string[] Nodes = ["mini01", "mini02", "mini03"];

    /// <summary>The bootstrap run's steps after a reset: clear the markers, init-state, then the six phases.</summary>
    public static readonly string[] Phases = ["clear-state", "init-state", "phase-1", "phase-2", "phase-3", "phase-4", "phase-5", "phase-6"];

    public static Dictionary<string, string?> Settings(string dataDirectory) => new()
    {
        ["Operations:DataDirectory"] = dataDirectory,
        ["Operations:StandIns:Enabled"] = "true",
        ["Operations:StandIns:Pace"] = "0.2",
        // Strict: a reset node stays in maintenance mode until its config is applied again.
        ["Operations:StandIns:AutoRejoin"] = "false",
        // The whole drill outlasts the default 5-minute step-up window on a busy 2-core machine.
        ["Auth:StepUpMaxAge"] = "00:30:00",
    };

    /// <summary>Read from the simulator's own store, not through the dashboard or the Kubernetes API.</summary>
    public static bool InMaintenance(SimulatorHost simulator, string node) =>
        simulator.Cluster.Get(Kinds.Node, null, node) is not { } obj
        || obj["status"]!["conditions"]!.AsArray()
            .First(c => c!["type"]!.GetValue<string>() == "Ready")!["status"]!.GetValue<string>() != "True";
}
