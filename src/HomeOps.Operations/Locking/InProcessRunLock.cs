namespace HomeOps.Operations.Locking;

/// <summary>A process-wide lock (one instance shared by every engine in the process).</summary>
public sealed class InProcessRunLock : IRunLock
{
    private readonly Lock _gate = new();
    private Handle? _held;

    public Task<(IRunLockHandle? Handle, string? HeldBy)> TryAcquireAsync(Guid runId, string description, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_held is not null) return Task.FromResult<(IRunLockHandle?, string?)>((null, _held.Holder));
            _held = new Handle(this, $"run {runId} ({description})");
            return Task.FromResult<(IRunLockHandle?, string?)>((_held, null));
        }
    }

    /// <summary>Who holds it now, for the UI.</summary>
    public string? HeldBy
    {
        get { lock (_gate) return _held?.Holder; }
    }

    private void Release(Handle h)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_held, h)) _held = null;
        }
    }

    private sealed class Handle(InProcessRunLock owner, string holder) : IRunLockHandle
    {
        public string Holder { get; } = holder;

        public CancellationToken Lost => CancellationToken.None;

        public ValueTask DisposeAsync()
        {
            owner.Release(this);
            return ValueTask.CompletedTask;
        }
    }
}
