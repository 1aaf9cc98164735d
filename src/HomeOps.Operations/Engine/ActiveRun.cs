using HomeOps.Operations.Locking;

namespace HomeOps.Operations.Engine;

/// <summary>Why an executing run is being stopped.</summary>
internal enum StopKind
{
    None,
    /// <summary>An operator cancelled it: the step and run end Cancelled.</summary>
    User,
    /// <summary>The engine is shutting down: the step and run end Interrupted (resumable).</summary>
    Shutdown,
    /// <summary>The run lock (Lease) was lost: the step's process tree is killed, the step and run end Interrupted.</summary>
    LockLost,
}

/// <summary>A run executing in this process: its cancellation, lock and audit segment.</summary>
internal sealed class ActiveRun(Guid id, IRunLockHandle? lockHandle, long? auditId, string startedBy)
{
    private int _stop;

    public Guid Id => id;

    public CancellationTokenSource Cancellation { get; } = new();

    public IRunLockHandle? Lock => lockHandle;

    public long? AuditId => auditId;

    public string StartedBy => startedBy;

    public StopKind Stop => (StopKind)Volatile.Read(ref _stop);

    public string? StopBy { get; private set; }

    public Task Completion { get; set; } = Task.CompletedTask;

    /// <summary>The first stop request wins (a cancel during shutdown stays a cancel).</summary>
    public void RequestStop(StopKind kind, string? by)
    {
        if (Interlocked.CompareExchange(ref _stop, (int)kind, (int)StopKind.None) != (int)StopKind.None) return;
        StopBy = by;
        try { Cancellation.Cancel(); } catch (ObjectDisposedException) { }
    }
}
