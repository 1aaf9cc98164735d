using System.ComponentModel;
using System.Diagnostics;
using CliWrap;

namespace HomeOps.Operations.Runners;

/// <summary>
/// Runs a step as a local process through CliWrap. The argv goes into <see cref="ProcessStartInfo.ArgumentList"/>, so
/// each element reaches the program as exactly one argument with no quoting or shell in between. Exit codes are
/// captured (validation off). Cancellation kills the entire process tree and keeps the output written before it.
/// The environment is built from an allowlist (<see cref="ChildEnvironment"/>), not inherited whole: the dashboard's
/// secrets never reach a step. <paramref name="inheritEnvironment"/> names further variables to pass on
/// (<c>Operations:InheritEnvironment</c>). <paramref name="onePasswordTokenFile"/> (<c>Operations:OnePasswordTokenFile</c>,
/// the station's mounted 1Password service-account token) is read at step start and passed as
/// <c>OP_SERVICE_ACCOUNT_TOKEN</c> only to a step that opted in with <c>secrets: [onepassword]</c> (the steps that run
/// <c>op</c>): never to another step, whatever its <c>env:</c> says, and never into the dashboard's environment or the
/// run record.
/// </summary>
public sealed class LocalProcessRunner(TimeProvider? time = null, IEnumerable<string>? inheritEnvironment = null, string? onePasswordTokenFile = null) : IStepRunner
{
    /// <summary>The variable the 1Password CLI reads for unattended (service-account) use.</summary>
    public const string OnePasswordTokenVariable = "OP_SERVICE_ACCOUNT_TOKEN";

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly IReadOnlySet<string> _inherit = new HashSet<string>(inheritEnvironment ?? [], StringComparer.Ordinal);

    public string Name => "local";

    public async Task<StepRunResult> RunAsync(StepCommand command, Action<OutputLine> onOutput, CancellationToken cancellationToken)
    {
        if (command.Argv.Count == 0 || string.IsNullOrWhiteSpace(command.Argv[0]))
            return new StepRunResult(null, false, "empty argv", TimeSpan.Zero);
        var started = _time.GetTimestamp();
        if (cancellationToken.IsCancellationRequested)
            return new StepRunResult(null, true, null, TimeSpan.Zero);

        string? opToken = null;
        if (!string.IsNullOrWhiteSpace(onePasswordTokenFile) && command.Secrets.Contains(Workflows.StepSecrets.OnePassword))
        {
            try { opToken = (await File.ReadAllTextAsync(onePasswordTokenFile, cancellationToken).ConfigureAwait(false)).Trim(); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return new StepRunResult(null, false, $"could not read the 1Password service-account token file (Operations:OnePasswordTokenFile): {ex.GetType().Name}", _time.GetElapsedTime(started));
            }
        }

        var cli = Cli.Wrap(command.Argv[0])
            .WithWorkingDirectory(command.WorkingDirectory)
            .WithStandardInputPipe(command.StandardInput is { } input ? PipeSource.FromString(input) : PipeSource.Null)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line => onOutput(new OutputLine(OutputStream.Stdout, line, _time.GetUtcNow()))))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line => onOutput(new OutputLine(OutputStream.Stderr, line, _time.GetUtcNow()))))
            .WithValidation(CommandResultValidation.None);

        // Cancellation kills the process tree ourselves and lets CliWrap finish reading the pipes to EOF, so every line the
        // process wrote before it died is kept. Only if the pipes stay open (a descendant escaped the tree) is CliWrap
        // cancelled forcefully after a grace period.
        using var forceful = new CancellationTokenSource();
        CommandTask<CommandResult> task;
        try
        {
            task = cli.ExecuteAsync(
                configureProcessStartInfo: psi =>
                {
                    // Exact argv: no argument string, nothing to escape, nothing to re-parse.
                    psi.Arguments = "";
                    psi.ArgumentList.Clear();
                    foreach (var a in command.Argv.Skip(1)) psi.ArgumentList.Add(a);
                    // Start from nothing: ProcessStartInfo.Environment is a copy of the dashboard's whole environment, and
                    // CliWrap's WithEnvironmentVariables only adds to it.
                    psi.Environment.Clear();
                    foreach (var (name, value) in ChildEnvironment.Build(System.Environment.GetEnvironmentVariables(), command.Environment, _inherit))
                        psi.Environment[name] = value;
                    // Set last, over anything inherited or named in env: only an opted-in step has it at all.
                    psi.Environment.Remove(OnePasswordTokenVariable);
                    if (opToken is { Length: > 0 }) psi.Environment[OnePasswordTokenVariable] = opToken;
                },
                configureProcess: null,
                forcefulCancellationToken: forceful.Token,
                gracefulCancellationToken: CancellationToken.None);
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or DirectoryNotFoundException)
        {
            return new StepRunResult(null, false, $"could not start '{command.Argv[0]}': {ex.Message}", _time.GetElapsedTime(started));
        }

        var pid = task.ProcessId;
        if (command.OnStarted is { } onStarted)
        {
            // Best effort: the step runs whether or not its identity could be recorded.
            try { await onStarted(ProcessIdentity.Capture(pid)).ConfigureAwait(false); }
            catch (Exception) { }
        }
        var killed = 0;
        await using var reg = cancellationToken.Register(() =>
        {
            Interlocked.Exchange(ref killed, 1);
            KillTree(pid);
            try { forceful.CancelAfter(PipeDrainGrace); } catch (ObjectDisposedException) { }
        });
        try
        {
            var result = await task.ConfigureAwait(false);
            return Volatile.Read(ref killed) == 1
                ? new StepRunResult(null, true, null, result.RunTime)
                : new StepRunResult(result.ExitCode, false, null, result.RunTime);
        }
        catch (OperationCanceledException)
        {
            KillTree(pid);
            return new StepRunResult(null, true, null, _time.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            return new StepRunResult(null, false, $"'{command.Argv[0]}' failed: {ex.Message}", _time.GetElapsedTime(started));
        }
    }

    /// <summary>How long the output pipes may take to reach EOF after the tree was killed.</summary>
    private static readonly TimeSpan PipeDrainGrace = TimeSpan.FromSeconds(5);

    private static void KillTree(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            p.Kill(entireProcessTree: true);
        }
        catch (ArgumentException) { /* already gone */ }
        catch (InvalidOperationException) { /* already exited */ }
        catch (Win32Exception) { /* raced with exit */ }
    }
}
