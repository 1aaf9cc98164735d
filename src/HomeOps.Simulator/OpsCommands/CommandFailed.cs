namespace HomeOps.Simulator.OpsCommands;

/// <summary>A command inside a stand-in task failed with this exit status (Task then reports it and exits 201).</summary>
public sealed class CommandFailed(int exitStatus, string? message = null) : Exception(message ?? $"exit status {exitStatus}")
{
    public int ExitStatus { get; } = exitStatus;
}
