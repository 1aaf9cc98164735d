using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources;
using HomeOps.Cluster.State;
using HomeOps.Simulator;
using HomeOps.Simulator.Faults;
using Microsoft.Extensions.Options;

namespace HomeOps.Reliability.Tests.Support;

/// <summary>
/// Runs fault schedules one after another against one simulator (reused: each schedule gets a fresh store, informer
/// host and client, and the simulator's state simply carries on). For each schedule: start the real
/// <see cref="InformerHost"/> on a few kinds, wait until they are live and equal to the simulator, arm the seeded
/// <see cref="FaultSchedule"/>, write a seeded stream of changes, stop the faults, and require within
/// <see cref="ConvergeWithin"/> that the store equals the simulator's truth (same uids and resourceVersions) and that
/// freshness was honest throughout (<see cref="FreshnessHonesty"/>).
/// </summary>
internal sealed class FaultWorker : IAsyncDisposable
{
    /// <summary>The kinds a schedule picks from: every watched kind of the catalogue the simulator seeds.</summary>
    public static readonly IReadOnlyList<KindInfo> Candidates =
    [
        Kinds.Node, Kinds.GitRepository, Kinds.Kustomization, Kinds.HelmRelease,
        Kinds.LonghornVolume, Kinds.LonghornNode, Kinds.LonghornBackup,
        Kinds.BgpPeeringPolicy, Kinds.BgpNodeConfig, Kinds.BgpClusterConfig, Kinds.BgpPeerConfig, Kinds.BgpAdvertisement,
        Kinds.LoadBalancerIPPool,
    ];

    public static readonly TimeSpan ConvergeWithin = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan LiveGrace = TimeSpan.FromSeconds(1);

    private readonly LogBuffer _logs;
    private readonly Microsoft.Extensions.Logging.ILoggerFactory _loggers;

    private FaultWorker(SimulatorHost simulator, LogBuffer logs, Microsoft.Extensions.Logging.ILoggerFactory loggers)
    {
        Simulator = simulator;
        _logs = logs;
        _loggers = loggers;
    }

    public SimulatorHost Simulator { get; }

    public static async Task<FaultWorker> StartAsync(CancellationToken cancellationToken)
    {
        var logs = new LogBuffer();
        var loggers = logs.Factory();
        var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Port = 0,
            Scenarios = { Enabled = false },
            // Frequent bookmarks: a watch from a resourceVersion is "established" once its first line arrives.
            BookmarkInterval = TimeSpan.FromMilliseconds(100),
        }, loggers, cancellationToken);
        return new FaultWorker(simulator, logs, loggers);
    }

    public static IReadOnlyList<KindInfo> KindsFor(int seed, int count = 3)
    {
        var random = new Random(seed);
        return [.. Candidates.OrderBy(_ => random.Next()).Take(count)];
    }

    public ClusterOptions InformerOptions() => new()
    {
        Mode = ClusterMode.Simulator,
        Kubeconfig = Simulator.KubeconfigPath,
        BackoffInitial = TimeSpan.FromMilliseconds(10),
        BackoffMax = TimeSpan.FromMilliseconds(200),
        StaleAfter = TimeSpan.FromSeconds(5),
    };

    public async Task<ScheduleOutcome> RunAsync(int seed, FaultScheduleOptions scheduleOptions, CancellationToken cancellationToken)
    {
        var began = Clock.Now;
        _logs.Clear();
        var kinds = KindsFor(seed);
        var options = InformerOptions();
        var store = new ClusterStore();
        using var timeline = new FreshnessTimeline(store);
        var recorder = Simulator.Faults.StartRecording();
        var client = new KubernetesClientFactory(Options.Create(options)).Create();
        var host = new InformerHost(client, store, store, options, TimeProvider.System, _loggers, kinds);
        var schedule = new FaultSchedule(seed, kinds, scheduleOptions);
        var writer = new ClusterWriter(Simulator.Cluster, kinds, seed);
        var from = Clock.Now;
        string? failure = null;
        var convergedMs = double.NaN;
        var differences = new Differences(0, 0, 0, 0, "");
        FreshnessHonesty.Result? honesty = null;
        long unreadable = 0;
        try
        {
            failure = await ExerciseAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failure = $"threw {ex.GetType().Name}: {ex.Message}";
        }
        finally
        {
            Simulator.Faults.Disarm();
            unreadable = host.Informers.Sum(i => i.UnreadableEvents);
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
            // The next schedule's recording must not see this one's streams: wait until the server saw them end.
            if (!await PollAsync(() => recorder.OpenSessions == 0, TimeSpan.FromSeconds(5), CancellationToken.None))
                failure ??= $"{recorder.OpenSessions} watch sessions still open on the server after the informers stopped";
            Simulator.Faults.StopRecording();
        }

        if (failure is not null)
            failure = $"seed {seed} [{string.Join(", ", kinds.Select(k => k.Key))}]: {failure}\nplan: {schedule.Describe()}\nlog tail:\n{_logs.Tail()}";
        return new ScheduleOutcome(seed, [.. kinds.Select(k => k.Key)], schedule.Injected, writer.Total,
            differences.Compared, differences.Lost, differences.Phantom, differences.Stale, convergedMs,
            honesty?.MaxLagMs ?? 0, honesty?.LivePeriods ?? 0, recorder.Requests.Count, recorder.Sessions.Count,
            unreadable, Clock.Ms(began, Clock.Now), failure);

        async Task<string?> ExerciseAsync()
        {
            await host.StartAsync(cancellationToken);
            if (!await PollAsync(() => AllLive(host, kinds) && Compare(store, kinds).Equal, TimeSpan.FromSeconds(10), cancellationToken))
                return $"initial sync did not complete: {Status(host, store, kinds)}";

            Simulator.Faults.Arm(schedule);
            for (var i = 0; i < scheduleOptions.Writes; i++)
            {
                writer.WriteOne(i);
                if (schedule.RestartsAfterWrites.Contains(i))
                {
                    await Simulator.RestartAsync(resetResourceVersions: true);
                    schedule.Count(FaultType.ApiRestartWithReset);
                }
                await Task.Delay(writer.NextPause(), cancellationToken);
            }
            // Let bookmark lines take their share of the damage too, then stop the faults.
            await Task.Delay(TimeSpan.FromMilliseconds(new Random(seed).Next(0, 200)), cancellationToken);
            Simulator.Faults.Disarm();
            var stoppedAt = Clock.Now;

            var converged = await PollAsync(() => AllLive(host, kinds) && Compare(store, kinds).Equal, ConvergeWithin, cancellationToken);
            convergedMs = Clock.Ms(stoppedAt, Clock.Now);
            differences = Compare(store, kinds);
            var to = Clock.Now;
            honesty = FreshnessHonesty.Check(timeline, recorder, kinds, from, to, LiveGrace);
            if (!converged)
                return $"not converged {ConvergeWithin.TotalSeconds:0} s after the faults stopped: {Status(host, store, kinds)}";
            if (honesty.Violations.Count > 0)
                return $"freshness was not honest:\n  {string.Join("\n  ", honesty.Violations.Take(10))}";
            return null;
        }
    }

    private static bool AllLive(InformerHost host, IReadOnlyList<KindInfo> kinds) =>
        host.AllSynced && kinds.All(k => host.Find(k) is { State: FeedState.Live, Freshness.IsLive: true });

    /// <summary>Objects compared, lost (in the simulator, not in the store), phantom (the reverse) and stale (other resourceVersion).</summary>
    public sealed record Differences(int Compared, int Lost, int Phantom, int Stale, string Detail)
    {
        public bool Equal => Lost == 0 && Phantom == 0 && Stale == 0;
    }

    public Differences Compare(ClusterStore store, IEnumerable<KindInfo> kinds)
    {
        int compared = 0, lost = 0, phantom = 0, stale = 0;
        var detail = new List<string>();
        foreach (var kind in kinds)
        {
            var truth = Simulator.Cluster.List(kind).Items.ToDictionary(
                o => o["metadata"]!["uid"]!.GetValue<string>(), o => o["metadata"]!["resourceVersion"]!.GetValue<string>());
            var cached = store.Value.Slice(kind).Items.Values.ToDictionary(s => s.Meta.Uid, s => s.Meta.ResourceVersion);
            compared += truth.Count;
            var missing = truth.Keys.Where(k => !cached.ContainsKey(k)).ToList();
            var extra = cached.Keys.Where(k => !truth.ContainsKey(k)).ToList();
            var old = truth.Where(t => cached.TryGetValue(t.Key, out var rv) && rv != t.Value).Select(t => $"{t.Key}@{cached[t.Key]}≠{t.Value}").ToList();
            lost += missing.Count;
            phantom += extra.Count;
            stale += old.Count;
            if (missing.Count + extra.Count + old.Count > 0)
                detail.Add($"{kind.Key}: lost [{string.Join(", ", missing.Take(3))}] phantom [{string.Join(", ", extra.Take(3))}] stale [{string.Join(", ", old.Take(3))}]");
        }
        return new Differences(compared, lost, phantom, stale, string.Join("; ", detail));
    }

    private string Status(InformerHost host, ClusterStore store, IReadOnlyList<KindInfo> kinds) =>
        string.Join("; ", kinds.Select(k => host.Find(k) is { } i
            ? $"{i} lists {i.Lists} unreadable {i.UnreadableEvents} | {i.Freshness.State} {i.Freshness.LastError}"
            : $"{k.Key}: no informer"))
        + " | " + Compare(store, kinds).Detail;

    private static async Task<bool> PollAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Clock.Plus(Clock.Now, timeout);
        while (true)
        {
            if (condition()) return true;
            if (Clock.Now > deadline) return false;
            await Task.Delay(20, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync();
        _loggers.Dispose();
    }
}
