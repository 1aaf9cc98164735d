using System.Text.Json;
using HomeOps.Cluster.Reports;
using HomeOps.Cluster.Sources;
using HomeOps.Cluster.State;
using HomeOps.Operations.Audit;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Notifications;

/// <summary>
/// Watches the store's one <see cref="ProblemReport"/> (on every state change and every <c>CheckInterval</c>), dates
/// problems for the overview (<see cref="ProblemClock"/>), runs the <see cref="NotificationDebounce"/>, and sends what
/// it yields to each subscriber who wants that area and severity — unless inside the subscriber's quiet hours or over
/// their hourly limit. Every message sent or held back is audited (<c>notify.sent</c>, <c>notify.suppressed</c>).
/// </summary>
public sealed class NotificationMonitor(
    ClusterStore store,
    ProblemClock clock,
    SubscriptionStore subscriptions,
    IEnumerable<INotificationChannel> channels,
    IOptions<NotificationOptions> options,
    IOptions<ClusterOptions> cluster,
    TimeProvider time,
    IServiceProvider services,
    ILogger<NotificationMonitor> log) : IHostedService, IDisposable
{
    private readonly NotificationDebounce _debounce = new(options.Value.Debounce);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _sentPerUser = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private IDisposable? _subscription;
    private ITimer? _timer;
    private bool _disposed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = store.SubscribeCoalesced((_, _) => EvaluateAsync(_stopping.Token), TimeSpan.FromMilliseconds(500));
        _timer = time.CreateTimer(_ => _ = EvaluateAsync(_stopping.Token), null, options.Value.CheckInterval, options.Value.CheckInterval);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host may stop a service it has already disposed (a process stopping while its host is disposed): a no-op then.
        if (Volatile.Read(ref _disposed)) return;
        try { await _stopping.CancelAsync(); }
        catch (ObjectDisposedException) { return; }
        _subscription?.Dispose();
        _timer?.Dispose();
    }

    /// <summary>One pass over the current state: what the debounce yields is sent before this returns.</summary>
    public async Task EvaluateAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var now = time.GetUtcNow();
            var report = ProblemReport.From(store.Value, cluster.Value.ExpectedNodeNames, now);
            clock.Observe(report.Problems, now);
            if (!options.Value.Enabled) return;
            foreach (var e in _debounce.Evaluate(report.Problems, now))
                await DispatchAsync(e, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception e)
        {
            log.LogError(e, "Notification check failed");
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task DispatchAsync(NotificationEvent e, CancellationToken ct)
    {
        var message = NotificationMessage.For(e);
        foreach (var sub in subscriptions.All())
        {
            // Last seen without the viewer role (SubscriberEligibility): nothing is sent, nor audited as held back.
            if (sub.PausedBecause is not null) continue;
            if (!sub.Wants(e.Problem.Area, e.Problem.Health)) continue;
            var reachable = channels.Where(c => c.Reaches(sub)).ToList();
            if (reachable.Count == 0) continue;
            if (sub.IsQuiet(e.At))
            {
                await AuditAsync(sub, e, AuditAction.NotifySuppressed, AuditOutcome.Refused, "quiet hours", [], ct);
                continue;
            }
            if (!TakeRateToken(sub.User, e.At))
            {
                await AuditAsync(sub, e, AuditAction.NotifySuppressed, AuditOutcome.Refused,
                    $"rate limit: {options.Value.RateLimitPerHour} per hour", [], ct);
                continue;
            }
            var sent = new List<string>();
            var failed = new List<string>();
            foreach (var channel in reachable)
            {
                try
                {
                    await channel.SendAsync(sub, message, ct);
                    sent.Add(channel.Name);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failed.Add(channel.Name);
                }
            }
            await AuditAsync(sub, e, AuditAction.NotifySent, failed.Count == 0 ? AuditOutcome.Succeeded : AuditOutcome.Failed,
                failed.Count == 0 ? message.Title : $"{message.Title} (failed: {string.Join(", ", failed)})", sent, ct);
        }
    }

    /// <summary>"Send a test" on the notifications page: through the user's channels, counted and audited like the rest.</summary>
    public async Task<string> SendTestAsync(string user, CancellationToken ct = default)
    {
        var sub = subscriptions.Get(user);
        var reachable = sub is null ? [] : channels.Where(c => c.Reaches(sub)).ToList();
        if (sub is null || reachable.Count == 0) return "Nothing to send to: enable push here or set an ntfy topic, then save.";
        if (sub.PausedBecause is { } paused) return $"Not sent: notifications are paused ({paused}). Sign in again with the viewer role to resume them.";
        var now = time.GetUtcNow();
        var test = new NotificationEvent(NotificationKind.Problem,
            new Problem("Test", "", "", "Test", null, "notification", Cluster.Model.HealthStatus.Degraded, "Test",
                "A test from the notifications page.", now), now);
        await _gate.WaitAsync(ct);
        try
        {
            if (!TakeRateToken(user, now))
            {
                await AuditAsync(sub, test, AuditAction.NotifySuppressed, AuditOutcome.Refused, "rate limit (test)", [], ct);
                return $"Not sent: at most {options.Value.RateLimitPerHour} notifications per hour.";
            }
            var message = NotificationMessage.For(test) with { Url = "/notifications", Title = "HomeOps test notification" };
            var sent = new List<string>();
            foreach (var channel in reachable)
            {
                try
                {
                    await channel.SendAsync(sub, message, ct);
                    sent.Add(channel.Name);
                }
                catch (Exception e) when (e is not OperationCanceledException) { }
            }
            await AuditAsync(sub, test, AuditAction.NotifySent, sent.Count == reachable.Count ? AuditOutcome.Succeeded : AuditOutcome.Failed,
                message.Title, sent, ct);
            return sent.Count == 0 ? "The test could not be delivered." : $"Test sent via {string.Join(" and ", sent)}.";
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool TakeRateToken(string user, DateTimeOffset now)
    {
        if (!_sentPerUser.TryGetValue(user, out var q)) _sentPerUser[user] = q = new Queue<DateTimeOffset>();
        while (q.Count > 0 && now - q.Peek() >= TimeSpan.FromHours(1)) q.Dequeue();
        if (q.Count >= options.Value.RateLimitPerHour) return false;
        q.Enqueue(now);
        return true;
    }

    private async Task AuditAsync(NotificationSubscription sub, NotificationEvent e, AuditAction action, AuditOutcome outcome,
        string message, IReadOnlyList<string> sentVia, CancellationToken ct)
    {
        var audit = services.GetService<IAuditLog>();
        if (audit is null) return;
        try
        {
            await audit.RecordAsync(new AuditEntry
            {
                At = e.At,
                User = sub.User,
                Action = action.Name,
                Target = $"{e.Problem.Kind} {e.Problem.DisplayName}",
                Parameters = JsonSerializer.Serialize(new
                {
                    @event = e.Kind.ToString(), area = e.Problem.Area, health = e.Problem.Health.ToString(), reason = e.Problem.Reason,
                    channels = sentVia, url = ProblemLinksFor(e),
                }),
                Outcome = outcome,
                Message = message,
            }, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogWarning("Could not audit a notification for {User}: {Error}", sub.User, ex.GetType().Name);
        }
    }

    private static string ProblemLinksFor(NotificationEvent e) => Components.Controls.ProblemLinks.For(e.Problem);

    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        _subscription?.Dispose();
        _timer?.Dispose();
        _stopping.Dispose();
        _gate.Dispose();
    }
}
