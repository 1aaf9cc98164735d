using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HomeOps.Operations.Locking;

/// <summary>
/// A <c>coordination.k8s.io/v1</c> Lease as the cross-replica lock. Holder identity is the pod name; the holder renews
/// every <paramref name="renewInterval"/>; another replica takes over only after the lease expired. Writes use the
/// read resourceVersion (optimistic concurrency): two replicas racing get one 409 Conflict, which means "not acquired".
/// The holder identity is the pod, so a second run on the same pod would find the Lease "ours": an in-process lock is
/// taken first to keep one destructive run per replica as well.
/// Renewal runs with a margin: at most every third of the lease duration (<see cref="EffectiveRenewInterval"/>), and
/// the lock counts as lost as soon as the Lease names another holder, or when the next renewal would come after the
/// Lease expired — before another replica may take it, so the engine can stop the running step first.
/// </summary>
public sealed class KubernetesLeaseRunLock : IRunLock
{
    private readonly IKubernetes client;
    private readonly string @namespace;
    private readonly string leaseName;
    private readonly string identity;
    private readonly TimeSpan leaseDuration;
    private readonly TimeSpan renewInterval;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly InProcessRunLock _local = new();

    public KubernetesLeaseRunLock(
        IKubernetes client,
        string @namespace,
        string leaseName,
        string identity,
        TimeSpan leaseDuration,
        TimeSpan renewInterval,
        TimeProvider? time = null,
        ILogger<KubernetesLeaseRunLock>? logger = null)
    {
        this.client = client;
        this.@namespace = @namespace;
        this.leaseName = leaseName;
        this.identity = identity;
        this.leaseDuration = leaseDuration;
        this.renewInterval = renewInterval;
        _time = time ?? TimeProvider.System;
        _log = logger ?? NullLogger<KubernetesLeaseRunLock>.Instance;
    }

    /// <summary>The configured renew interval, but never more than a third of the lease duration.</summary>
    public TimeSpan EffectiveRenewInterval
    {
        get
        {
            var third = leaseDuration / 3;
            return renewInterval > TimeSpan.Zero && renewInterval < third ? renewInterval : third;
        }
    }

    public async Task<(IRunLockHandle? Handle, string? HeldBy)> TryAcquireAsync(Guid runId, string description, CancellationToken ct)
    {
        var (local, heldHere) = await _local.TryAcquireAsync(runId, description, ct).ConfigureAwait(false);
        if (local is null) return (null, $"{heldHere} on this replica ({identity})");
        try
        {
            var (handle, heldBy) = await TryAcquireLeaseAsync(runId, description, local, ct).ConfigureAwait(false);
            if (handle is null) await local.DisposeAsync().ConfigureAwait(false);
            return (handle, heldBy);
        }
        catch
        {
            await local.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<(IRunLockHandle? Handle, string? HeldBy)> TryAcquireLeaseAsync(Guid runId, string description, IRunLockHandle local, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        V1Lease? lease = null;
        try
        {
            lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(leaseName, @namespace, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound) { }

        var spec = lease?.Spec;
        if (lease is not null && !LeaseRules.CanAcquire(spec?.HolderIdentity, Utc(spec?.RenewTime), Utc(spec?.AcquireTime), spec?.LeaseDurationSeconds, identity, now))
            return (null, $"{spec?.HolderIdentity} (Lease {@namespace}/{leaseName})");

        var takeOver = lease is not null && !string.IsNullOrEmpty(spec?.HolderIdentity) && spec.HolderIdentity != identity;
        var newSpec = new V1LeaseSpec
        {
            HolderIdentity = identity,
            LeaseDurationSeconds = (int)Math.Ceiling(leaseDuration.TotalSeconds),
            AcquireTime = now.UtcDateTime,
            RenewTime = now.UtcDateTime,
            LeaseTransitions = (spec?.LeaseTransitions ?? 0) + (takeOver ? 1 : 0),
        };
        try
        {
            if (lease is null)
            {
                var created = new V1Lease
                {
                    ApiVersion = "coordination.k8s.io/v1",
                    Kind = "Lease",
                    Metadata = new V1ObjectMeta { Name = leaseName, NamespaceProperty = @namespace, Annotations = Annotations(runId, description) },
                    Spec = newSpec,
                };
                lease = await client.CoordinationV1.CreateNamespacedLeaseAsync(created, @namespace, cancellationToken: ct).ConfigureAwait(false);
            }
            else
            {
                lease.Spec = newSpec;
                lease.Metadata.Annotations = Annotations(runId, description);
                lease = await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, leaseName, @namespace, cancellationToken: ct).ConfigureAwait(false);
            }
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.Conflict)
        {
            return (null, $"another replica (Lease {@namespace}/{leaseName} changed while acquiring)");
        }
        if (takeOver) _log.LogWarning("Took over expired Lease {Namespace}/{Lease} from {Holder}", @namespace, leaseName, spec!.HolderIdentity);
        return (new Handle(this, lease, local, $"{identity}: run {runId}"), null);
    }

    private static Dictionary<string, string> Annotations(Guid runId, string description) => new()
    {
        ["homeops.dashboard/run-id"] = runId.ToString(),
        ["homeops.dashboard/run"] = description.Length > 200 ? description[..200] : description,
    };

    private static DateTimeOffset? Utc(DateTime? t) => t is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;

    private sealed class Handle : IRunLockHandle
    {
        private readonly KubernetesLeaseRunLock _owner;
        private readonly IRunLockHandle _local;
        private readonly CancellationTokenSource _stop = new();
        private readonly CancellationTokenSource _lost = new();
        private readonly PeriodicTimer _timer;
        private readonly Task _renewal;
        private readonly DateTimeOffset _acquiredAt;
        private V1Lease _lease;

        public Handle(KubernetesLeaseRunLock owner, V1Lease lease, IRunLockHandle local, string holder)
        {
            _owner = owner;
            _local = local;
            _lease = lease;
            Holder = holder;
            // Created here, not in the loop: the first renewal is due one interval after the acquisition, whenever the loop starts.
            _timer = new PeriodicTimer(owner.EffectiveRenewInterval, owner._time);
            // The Lease was just written: its expiry counts from now, not from whenever the loop gets a thread.
            _acquiredAt = owner._time.GetUtcNow();
            _renewal = Task.Run(RenewLoopAsync);
        }

        public string Holder { get; }

        public CancellationToken Lost => _lost.Token;

        public string? LostReason { get; private set; }

        private void Lose(string reason)
        {
            LostReason = reason;
            _owner._log.LogError("Run lock lost: {Reason}", reason);
            _lost.Cancel();
        }

        private async Task RenewLoopAsync()
        {
            var lastRenew = _acquiredAt;
            var interval = _owner.EffectiveRenewInterval;
            var where = $"Lease {_owner.@namespace}/{_owner.leaseName}";
            try
            {
                while (await _timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                {
                    try
                    {
                        _lease.Spec.RenewTime = _owner._time.GetUtcNow().UtcDateTime;
                        _lease = await _owner.client.CoordinationV1.ReplaceNamespacedLeaseAsync(_lease, _owner.leaseName, _owner.@namespace, cancellationToken: _stop.Token).ConfigureAwait(false);
                        lastRenew = _owner._time.GetUtcNow();
                    }
                    catch (OperationCanceledException) when (_stop.IsCancellationRequested) { return; }
                    catch (Exception ex)
                    {
                        _owner._log.LogWarning(ex, "Renewing {Lease} failed", where);
                        if (ex is HttpOperationException { Response.StatusCode: HttpStatusCode.Conflict })
                        {
                            // Someone else wrote the Lease: re-read; if it is no longer ours, the lock is lost.
                            try
                            {
                                _lease = await _owner.client.CoordinationV1.ReadNamespacedLeaseAsync(_owner.leaseName, _owner.@namespace, cancellationToken: _stop.Token).ConfigureAwait(false);
                                if (_lease.Spec?.HolderIdentity != _owner.identity)
                                {
                                    Lose($"{where} is now held by {(_lease.Spec?.HolderIdentity is { Length: > 0 } other ? other : "nobody")}");
                                    return;
                                }
                            }
                            catch (OperationCanceledException) when (_stop.IsCancellationRequested) { return; }
                            catch (Exception) { /* keep trying while the margin allows */ }
                        }
                        // The next try would come after the Lease expired: another replica may take it then, so give up now.
                        var since = _owner._time.GetUtcNow() - lastRenew;
                        if (since + interval >= _owner.leaseDuration)
                        {
                            Lose($"{where} could not be renewed for {since.TotalSeconds:0} s of its {_owner.leaseDuration.TotalSeconds:0} s");
                            return;
                        }
                    }
                }
            }
            catch (OperationCanceledException) { }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            try { await _renewal.ConfigureAwait(false); } catch (Exception) { }
            try
            {
                // Release as client-go does: clear the holder and shorten the lease so another replica need not wait.
                var current = await _owner.client.CoordinationV1.ReadNamespacedLeaseAsync(_owner.leaseName, _owner.@namespace).ConfigureAwait(false);
                if (current.Spec?.HolderIdentity == _owner.identity)
                {
                    current.Spec.HolderIdentity = null;
                    current.Spec.LeaseDurationSeconds = 1;
                    current.Spec.RenewTime = _owner._time.GetUtcNow().UtcDateTime;
                    await _owner.client.CoordinationV1.ReplaceNamespacedLeaseAsync(current, _owner.leaseName, _owner.@namespace).ConfigureAwait(false);
                }
            }
            catch (Exception ex) { _owner._log.LogWarning(ex, "Releasing Lease {Namespace}/{Lease} failed; it expires by itself", _owner.@namespace, _owner.leaseName); }
            finally { await _local.DisposeAsync().ConfigureAwait(false); }
            _timer.Dispose();
            _stop.Dispose();
        }
    }
}
