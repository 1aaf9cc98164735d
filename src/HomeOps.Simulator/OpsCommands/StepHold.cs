using System.Globalization;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>
/// A deliberately slow tool: with <c>HOMEOPS_SIM_HOLD</c> seconds set, a stand-in waits that long before it acts —
/// only the invocations whose "tool args…" line contains <c>HOMEOPS_SIM_HOLD_MATCH</c> when that is set. It gives a
/// test (or a demo) a step that is visibly running but has not yet touched the cluster, e.g. to kill the dashboard
/// mid-step and see the run come back as interrupted with nothing half-done.
/// </summary>
public static class StepHold
{
    public const string SecondsVariable = "HOMEOPS_SIM_HOLD";
    public const string MatchVariable = "HOMEOPS_SIM_HOLD_MATCH";

    public static TimeSpan? For(ToolConsole io, string tool, IReadOnlyList<string> args)
    {
        if (!double.TryParse(io.Env(SecondsVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0) return null;
        if (io.Env(MatchVariable) is { } match && !$"{tool} {string.Join(' ', args)}".Contains(match, StringComparison.Ordinal)) return null;
        return TimeSpan.FromSeconds(Math.Min(seconds, 3600));
    }

    public static async Task WaitIfMatchedAsync(ToolConsole io, string tool, IReadOnlyList<string> args, CancellationToken ct)
    {
        if (For(io, tool, args) is not { } hold) return;
        io.Line($"[simulator] holding {hold.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s before acting ({SecondsVariable})");
        await Task.Delay(hold, ct).ConfigureAwait(false);
    }
}
