using HomeOps.Operations.Runners;
using HomeOps.Operations.Tests.Support;

namespace HomeOps.Operations.Tests;

/// <summary>The local runner passes an argument vector — each element exactly one argument, no shell in between.</summary>
public class RunnerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(StepRunResult Result, List<OutputLine> Lines)> Run(TempDir dir, string[] argv, CancellationToken ct, string? stdin = null, Dictionary<string, string?>? env = null)
    {
        var lines = new List<OutputLine>();
        var result = await new LocalProcessRunner().RunAsync(
            new StepCommand(argv, env ?? new Dictionary<string, string?>(), dir.Path, stdin),
            l => { lock (lines) lines.Add(l); },
            ct);
        return (result, lines);
    }

    [Fact]
    public async Task Hostile_arguments_arrive_as_single_arguments_byte_for_byte_and_nothing_is_interpreted()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("argv.sh"), EngineHarness.ArgvScript);
        string[] hostile =
        [
            "mini01; touch pwned-semicolon",
            "$(touch pwned-subst)",
            "`touch pwned-backtick`",
            "it's \"quoted\"",
            "two words",
            "line1\nline2; touch pwned-newline",
            "",
            "--nodes=172.29.51.12 --system-labels-to-wipe META",
            "*",
        ];
        var (result, lines) = await Run(dir, ["/bin/sh", "argv.sh", .. hostile], Ct);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains(lines, l => l.Text == $"argc={hostile.Length}");
        for (var i = 0; i < hostile.Length; i++)
            Assert.Equal(hostile[i], File.ReadAllText(dir.File($"arg{i + 1}")));
        Assert.Empty(Directory.GetFiles(dir.Path, "pwned*"));
    }

    [Fact]
    public async Task A_prompt_gets_the_configured_answer_and_without_one_reads_EOF_and_aborts()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("prompt.sh"), EngineHarness.PromptScript);
        var (yes, yesLines) = await Run(dir, ["/bin/sh", "prompt.sh"], Ct, stdin: "y\n");
        Assert.Equal(0, yes.ExitCode);
        Assert.Contains(yesLines, l => l.Text.EndsWith("answer=[y]"));
        var (no, noLines) = await Run(dir, ["/bin/sh", "prompt.sh"], Ct);
        Assert.Equal(1, no.ExitCode);
        Assert.Contains(noLines, l => l.Text == "aborted");
    }

    [Fact]
    public async Task Non_zero_exit_codes_are_results_and_stderr_is_streamed_separately()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("fail.sh"), "echo out; echo err >&2; echo \"FOO=$FOO\"; exit 7");
        var (result, lines) = await Run(dir, ["/bin/sh", "fail.sh"], Ct, env: new() { ["FOO"] = "bar baz" });
        Assert.Equal(7, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.Contains(lines, l => l is { Stream: OutputStream.Stdout, Text: "out" });
        Assert.Contains(lines, l => l is { Stream: OutputStream.Stderr, Text: "err" });
        Assert.Contains(lines, l => l.Text == "FOO=bar baz");
    }

    [Fact]
    public async Task A_missing_program_is_an_error_result_not_an_exception()
    {
        using var dir = new TempDir();
        var (result, _) = await Run(dir, ["/nonexistent/talosctl", "version"], Ct);
        Assert.Null(result.ExitCode);
        Assert.Contains("could not start", result.Error);
    }

    [Fact]
    public async Task Cancellation_kills_the_whole_process_tree()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("tree.sh"), EngineHarness.TreeScript);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var running = Run(dir, ["/bin/sh", "tree.sh"], cts.Token);
        await Wait.Until(() => File.Exists(dir.File("child.pid")) && File.Exists(dir.File("parent.pid")) && new FileInfo(dir.File("child.pid")).Length > 0, "both pids written");
        var child = Processes.ReadPid(dir.File("child.pid"));
        var parent = Processes.ReadPid(dir.File("parent.pid"));
        Assert.False(Processes.IsGone(child));
        await cts.CancelAsync();
        var (result, _) = await running;
        Assert.True(result.Killed);
        await Wait.Until(() => Processes.IsGone(parent) && Processes.IsGone(child), "parent sh and child sleep are gone");
    }

    [Fact]
    public async Task The_started_process_is_reported_with_its_pid_and_start_time_before_its_exit_is_awaited()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "process identity needs /proc");
        using var dir = new TempDir();
        // The command name (/proc stat field 2) holds spaces and parentheses: fields must be counted from the last ')'.
        var odd = dir.File("a) b (c");
        File.Copy("/bin/sleep", odd);
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(odd, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var reported = new TaskCompletionSource<(StepProcess Process, StepProcessState State)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var command = new StepCommand([odd, "1000"], new Dictionary<string, string?>(), dir.Path, null)
        {
            // Checked inside the callback: the process is alive while the runner waits for the callback to finish.
            OnStarted = p => { reported.TrySetResult((p, ProcessIdentity.Check(p))); return Task.CompletedTask; },
        };
        var running = new LocalProcessRunner().RunAsync(command, _ => { }, cts.Token);
        var (process, state) = await reported.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(StepProcessState.Alive, state);
        Assert.NotNull(process.StartTicks);
        // Field 22 is the start time in clock ticks (USER_HZ, 100 on Linux) since boot: just now, by the system's uptime.
        var uptimeTicks = (long)(double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 100);
        Assert.InRange(uptimeTicks - process.StartTicks!.Value, -100, 60 * 100);
        Assert.Equal(ProcessIdentity.CurrentHost, process.Host);
        Assert.Equal(StepProcessState.Gone, ProcessIdentity.Check(process with { StartTicks = process.StartTicks + 1 })); // a reused pid
        Assert.Equal(StepProcessState.Unknown, ProcessIdentity.Check(process with { Host = "boot=elsewhere pidns=pid:[1]" }));

        await cts.CancelAsync();
        Assert.True((await running).Killed);
        await Wait.Until(() => ProcessIdentity.Check(process) == StepProcessState.Gone, "the killed process is gone by its identity");
        Assert.False(ProcessIdentity.KillTree(process)); // nothing left to kill, and nothing else is killed
    }
}
