namespace HomeOps.Operations.Runners;

/// <summary>
/// A resolved command: an argument vector (never a shell string), environment additions (a null value removes an
/// inherited variable), an absolute working directory, and optional text for standard input (e.g. "y\n" for a
/// <c>read -p "(y/N)"</c> prompt; none means stdin is closed at once, so a prompt reads EOF and aborts).
/// </summary>
public sealed record StepCommand(
    IReadOnlyList<string> Argv,
    IReadOnlyDictionary<string, string?> Environment,
    string WorkingDirectory,
    string? StandardInput)
{
    /// <summary>
    /// Called once the process exists, before its exit is awaited, with its identity (the engine persists it so that a
    /// restarted engine can find the process if this one dies without it). Carried on the command, not the call, so a
    /// wrapping runner that rewrites the command with <c>with { … }</c> passes it on untouched.
    /// </summary>
    public Func<StepProcess, Task>? OnStarted { get; init; }

    /// <summary>
    /// The host secrets the step opted into (<c>secrets:</c> in its definition, e.g. <c>onepassword</c>); a runner passes
    /// a secret to the process only when it is named here. Names only, never values.
    /// </summary>
    public IReadOnlyCollection<string> Secrets { get; init; } = [];
}

public enum OutputStream
{
    Stdout,
    Stderr,
    /// <summary>Lines the engine writes itself (gate results, "timed out after …").</summary>
    System,
}

public sealed record OutputLine(OutputStream Stream, string Text, DateTimeOffset At);

/// <summary>How a process ended. A non-zero exit code is a result, not an exception.</summary>
public sealed record StepRunResult(int? ExitCode, bool Killed, string? Error, TimeSpan Duration)
{
    public bool Succeeded => !Killed && Error is null && ExitCode == 0;
}

/// <summary>
/// Runs one step's command. The local implementation starts a process; a later Kubernetes Job runner (name
/// "kubernetes-job", selected per step with <c>runner:</c>) would run the same argv in a Job and stream its pod log.
/// Contract: stream every output line as it arrives (from any thread), return the exit code, and when
/// <paramref name="cancellationToken"/> fires, stop the whole process tree and return with <c>Killed = true</c>.
/// </summary>
public interface IStepRunner
{
    string Name { get; }

    Task<StepRunResult> RunAsync(StepCommand command, Action<OutputLine> onOutput, CancellationToken cancellationToken);
}
