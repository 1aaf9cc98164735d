using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HomeOps.Cluster.Talos;

/// <summary>Configuration section <c>Talos</c>: the Talos feed's poll (README, "Talos and etcd").</summary>
public sealed class TalosOptions
{
    public const string Section = "Talos";

    /// <summary>Poll Talos at all. Off: the feed says "not configured" and decisions fall back to Node Ready, saying so.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between the starts of two polls.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Each talosctl command is killed after this long; a node that did not answer is "unreachable since …".</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(15);

}

/// <summary>Checked at start: a poll faster than a second, or a command timeout longer than the interval, is refused.</summary>
public sealed class TalosOptionsValidation : IValidateOptions<TalosOptions>
{
    public ValidateOptionsResult Validate(string? name, TalosOptions options)
    {
        var problems = new List<string>();
        if (options.PollInterval < TimeSpan.FromSeconds(1)) problems.Add("Talos:PollInterval must be at least 1 s");
        if (options.CommandTimeout <= TimeSpan.Zero || options.CommandTimeout > options.PollInterval)
            problems.Add("Talos:CommandTimeout must be positive and at most Talos:PollInterval");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>
/// The Talos feed: polls <see cref="TalosPoll"/> every <see cref="TalosOptions.PollInterval"/> for the nodes of the
/// live Node list and holds the last <see cref="TalosReport"/>. A poll that fails keeps the last data marked
/// "unreachable since …" (never shown as live). Without a talosctl runner the report says why it is not configured.
/// </summary>
public sealed class TalosFeed : BackgroundService
{
    private readonly ITalosctl? _talosctl;
    private readonly IState<ClusterState> _state;
    private readonly IDispatcher? _dispatcher;
    private readonly TalosOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _poll = new(1, 1);
    private TalosReport _current;

    /// <param name="state">The store: the Node list says whom to ask; when it is also the <see cref="IDispatcher"/> (the
    /// <see cref="ClusterStore"/>), each report is published into it as <see cref="Kinds.TalosNode"/> and <see cref="Kinds.Etcd"/>
    /// objects with the feed's freshness, so the Nodes area's one verdict includes Talos and etcd.</param>
    public TalosFeed(ITalosctl? talosctl, IState<ClusterState> state, TalosOptions options, TimeProvider time, ILogger<TalosFeed> logger)
    {
        _talosctl = talosctl;
        _state = state;
        _dispatcher = state as IDispatcher;
        _options = options;
        _time = time;
        _logger = logger;
        _current = NotConfiguredReason() is { } why ? TalosReport.NotConfigured(why, time.GetUtcNow()) : TalosReport.Connecting(time.GetUtcNow());
    }

    /// <summary>The last report. Readers must honour its freshness.</summary>
    public TalosReport Current => Volatile.Read(ref _current);

    /// <summary>Raised after every poll with the new report.</summary>
    public event Action<TalosReport>? Changed;

    private string? NotConfiguredReason() =>
        !_options.Enabled ? "Talos:Enabled is false"
        : _talosctl is null ? "no talosctl runner in this process (Operations:HomeOpsCheckout with talos/generated/talosconfig is needed)"
        : _talosctl.Unavailable;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (NotConfiguredReason() is { } why)
        {
            var report = TalosReport.NotConfigured(why, _time.GetUtcNow());
            Volatile.Write(ref _current, report);
            Publish(report);
            return;
        }
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var report = await PollOnceAsync(stoppingToken).ConfigureAwait(false);
                // Until the Node list has arrived there is nobody to ask: look again soon rather than a whole interval later.
                var wait = report.Freshness.State == FeedState.Connecting ? TimeSpan.FromSeconds(1) : _options.PollInterval;
                await Task.Delay(wait, _time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The nodes to ask: every Kubernetes Node with an IPv4 InternalIP, plus nodes Talos was asked about before (a node gone from the list is still asked).</summary>
    public static IReadOnlyList<TalosTarget> Targets(ClusterState state, TalosReport previous)
    {
        var targets = new List<TalosTarget>();
        foreach (var n in state.Items(Kinds.Node).OrderBy(n => n.Meta.Name, StringComparer.Ordinal))
            if (n.Details is NodeDetails { InternalIPv4: { } ip } d)
                targets.Add(new TalosTarget(ip, n.Meta.Name, d.ReadyStatus, d.KernelVersion));
        foreach (var old in previous.Nodes.Where(o => targets.All(t => t.Ip != o.Ip)))
            targets.Add(new TalosTarget(old.Ip, old.Name, null, old.KernelVersion));
        return targets;
    }

    /// <summary>One poll now (also what tests drive). Never throws except on cancellation.</summary>
    public async Task<TalosReport> PollOnceAsync(CancellationToken cancellationToken)
    {
        if (_talosctl is null || NotConfiguredReason() is not null) return Current;
        await _poll.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previous = Current;
            var targets = Targets(_state.Value, previous);
            // Never polled and no node known yet (the informers are still listing): still connecting, not a failure.
            if (targets.Count == 0 && !previous.Freshness.Synced) return previous;
            var next = await TalosPoll.RunAsync(_talosctl, targets, previous, _time, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _current, next);
            Publish(next);
            if (!next.IsLive) _logger.LogWarning("Talos poll failed: {Message}", next.Freshness.LastError);
            try { Changed?.Invoke(next); }
            catch (Exception e) { _logger.LogWarning(e, "A Talos feed subscriber failed"); }
            return next;
        }
        finally
        {
            _poll.Release();
        }
    }

    /// <summary>The report into the store (<see cref="TalosSnapshots.Actions"/>).</summary>
    private void Publish(TalosReport report)
    {
        if (_dispatcher is null) return;
        foreach (var action in TalosSnapshots.Actions(report, _time.GetUtcNow())) _dispatcher.Dispatch(action);
    }

    public override void Dispose()
    {
        _poll.Dispose();
        base.Dispose();
    }
}

public static class TalosServiceCollectionExtensions
{
    /// <summary>Registers <see cref="TalosOptions"/> (validated at start) and <see cref="TalosFeed"/> as a hosted service. The host registers the <see cref="ITalosctl"/>.</summary>
    public static IServiceCollection AddTalosFeed(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TalosOptions>().Bind(configuration.GetSection(TalosOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TalosOptions>, TalosOptionsValidation>());
        services.TryAddSingleton(sp => new TalosFeed(sp.GetService<ITalosctl>(), sp.GetRequiredService<IState<ClusterState>>(),
            sp.GetRequiredService<IOptions<TalosOptions>>().Value, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TalosFeed>>()));
        services.AddHostedService(sp => sp.GetRequiredService<TalosFeed>());
        return services;
    }
}
