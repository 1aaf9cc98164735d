using HomeOps.Cluster.Model;
using HomeOps.Cluster.Reports;
using HomeOps.Cluster.Sources;
using HomeOps.Cluster.State;
using HomeOps.Dashboard.Notifications;
using HomeOps.Dashboard.Tests.TestData;
using HomeOps.Operations.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Tests.Notifications;

/// <summary>A channel that keeps what it was asked to send.</summary>
public sealed class RecordingChannel : INotificationChannel
{
    private readonly List<(string User, NotificationMessage Message)> _sent = [];

    public string Name => "recording";

    public IReadOnlyList<(string User, NotificationMessage Message)> Sent
    {
        get { lock (_sent) return [.. _sent]; }
    }

    public bool Reaches(NotificationSubscription subscription) => true;

    public Task SendAsync(NotificationSubscription subscription, NotificationMessage message, CancellationToken ct)
    {
        lock (_sent) _sent.Add((subscription.User, message));
        return Task.CompletedTask;
    }
}

public sealed class RecordingAuditLog : IAuditLog
{
    private readonly List<AuditEntry> _entries = [];

    public IReadOnlyList<AuditEntry> Entries
    {
        get { lock (_entries) return [.. _entries]; }
    }

    public Task<AuditEntry> RecordAsync(AuditEntry entry, CancellationToken ct = default)
    {
        lock (_entries)
        {
            entry.Id = _entries.Count + 1;
            _entries.Add(entry);
        }
        return Task.FromResult(entry);
    }

    public Task CompleteAsync(long id, AuditOutcome outcome, DateTimeOffset endedAt, int? exitCode, string? message, CancellationToken ct = default) =>
        Task.CompletedTask;

    public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<AuditEntry>>(Entries);
}

/// <summary>The real monitor over a real store on the fake clock of <see cref="ClusterFixture"/>, with recording channel and audit.</summary>
public sealed class MonitorRig : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("homeops-notify-").FullName;

    public MonitorRig(NotificationOptions? options = null, ClusterFixture? fixture = null)
    {
        Fixture = fixture ?? ClusterFixture.HomeOps();
        Store = Fixture.BuildStore();
        Subscriptions = new SubscriptionStore(Path.Combine(_dir, "notifications.json"));
        var services = new ServiceCollection().AddSingleton<IAuditLog>(Audit).BuildServiceProvider();
        Monitor = new NotificationMonitor(Store, Clock, Subscriptions, [Channel], Options.Create(options ?? new NotificationOptions()),
            Options.Create(new ClusterOptions()), Fixture.Time, services, NullLogger<NotificationMonitor>.Instance);
    }

    public ClusterFixture Fixture { get; }
    public ClusterStore Store { get; }
    public ProblemClock Clock { get; } = new();
    public SubscriptionStore Subscriptions { get; }
    public RecordingChannel Channel { get; } = new();
    public RecordingAuditLog Audit { get; } = new();
    public NotificationMonitor Monitor { get; }

    public ResourceSnapshot Volume(string name) => Store.Value.Items(Kinds.LonghornVolume).Single(v => v.Meta.Name == name);

    /// <summary>Replaces one volume's verdict, as the informer would after a watch event.</summary>
    public void SetVolume(string name, Verdict verdict) =>
        Store.Dispatch(new ResourcesChanged(Kinds.LonghornVolume, [Volume(name) with { Verdict = verdict }], [], Fixture.Time.GetUtcNow()));

    public static readonly Verdict Degraded = new(HealthStatus.Degraded, "Degraded", "1 of 2 replicas healthy");
    public static readonly Verdict Healthy = new(HealthStatus.Healthy, "Healthy", "");

    /// <summary>Moves the fake clock in steps, letting the monitor check at each (as its timer would).</summary>
    public async Task RunForAsync(TimeSpan span, TimeSpan? step = null)
    {
        var s = step ?? TimeSpan.FromSeconds(5);
        for (var t = TimeSpan.Zero; t < span; t += s)
        {
            Fixture.Time.Advance(s);
            await Monitor.EvaluateAsync(TestContext.Current.CancellationToken);
        }
    }

    public void Dispose()
    {
        Monitor.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
