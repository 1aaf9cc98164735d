using HomeOps.Simulator.OpsCommands;

namespace HomeOps.Operations.Tests.StandIns;

/// <summary>The stand-ins' own record of invocations, and the hold that makes a step visibly run before it acts.</summary>
public sealed class InvocationRecordTests : IAsyncLifetime
{
    private StandInRig _rig = null!;

    public async ValueTask InitializeAsync() => _rig = await StandInRig.StartAsync();

    public async ValueTask DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task Every_invocation_is_recorded_with_its_pid_argv_and_exit_code()
    {
        var r = await _rig.RunAsync(["talosctl", "version", "--nodes", "172.29.51.11"]);
        Assert.Equal(0, r.ExitCode);
        var lines = InvocationRecord.Read(_rig.Dir.File("state"));
        var start = Assert.Single(lines, l => l.Event == "start");
        var end = Assert.Single(lines, l => l.Event == "end");
        Assert.Equal(("talosctl", start.Pid, 0), (end.Tool, end.Pid, end.Exit));
        Assert.Equal(["version", "--nodes", "172.29.51.11"], start.Args);
    }

    [Fact]
    public async Task A_hold_applies_only_to_the_matching_invocation_and_comes_before_any_change()
    {
        var hold = new Dictionary<string, string?> { [StepHold.SecondsVariable] = "0.5", [StepHold.MatchVariable] = "reboot --nodes 172.29.51.12" };
        var other = await _rig.RunAsync(["talosctl", "reboot", "--nodes", "172.29.51.11", "--wait=true"], extraEnv: hold);
        Assert.Equal(0, other.ExitCode);
        Assert.DoesNotContain("[simulator] holding", other.All);

        var held = await _rig.RunAsync(["talosctl", "reboot", "--nodes", "172.29.51.12", "--wait=true"], extraEnv: hold);
        Assert.Equal(0, held.ExitCode);
        Assert.StartsWith("[simulator] holding 0.5 s before acting", held.Lines[0]);
        Assert.Contains("172.29.51.12: post check passed", held.All);
    }
}
