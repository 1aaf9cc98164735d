namespace HomeOps.Operations.Locking;

/// <summary>Held while a destructive run executes; disposing releases it.</summary>
public interface IRunLockHandle : IAsyncDisposable
{
    /// <summary>What the lock records as holder: the run and the instance.</summary>
    string Holder { get; }

    /// <summary>Fires when the lock can no longer be guaranteed (a Lease that could not be renewed before it expired).</summary>
    CancellationToken Lost { get; }

    /// <summary>Why <see cref="Lost"/> fired (e.g. "Lease homeops/x is now held by dashboard-b"); null while held.</summary>
    string? LostReason => null;
}

/// <summary>
/// One destructive run at a time. In-process for the simulator and a single replica; a Kubernetes Lease when
/// several replicas share a PostgreSQL database.
/// </summary>
public interface IRunLock
{
    /// <summary>Takes the lock for <paramref name="runId"/>, or returns null with who holds it.</summary>
    Task<(IRunLockHandle? Handle, string? HeldBy)> TryAcquireAsync(Guid runId, string description, CancellationToken ct);
}
