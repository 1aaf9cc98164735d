using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources;
using HomeOps.Cluster.State;
using HomeOps.Cluster.Tests.Sources;
using HomeOps.Cluster.Tests.State;
using HomeOps.Simulator;
using HomeOps.Simulator.Faults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HomeOps.Reliability.Tests.Support;

/// <summary>
/// One simulator (own loopback ports, scenarios off), the real <see cref="InformerHost"/> on a few kinds reading it
/// through KubernetesClient, a <see cref="ClusterStore"/>, a freshness timeline and the simulator's request/session
/// recording — for focused tests of one fault at a time.
/// </summary>
internal sealed class ReliabilityRig : IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;

    private ReliabilityRig(SimulatorHost simulator, ClusterStore store, InformerHost host, ILoggerFactory loggers,
        TestLoggerProvider logs, ApiRecorder recorder)
    {
        Simulator = simulator;
        Store = store;
        Host = host;
        _loggers = loggers;
        Logs = logs;
        Recorder = recorder;
        Timeline = new FreshnessTimeline(store);
    }

    public SimulatorHost Simulator { get; }
    public ClusterStore Store { get; }
    public InformerHost Host { get; }
    public TestLoggerProvider Logs { get; }
    public ApiRecorder Recorder { get; }
    public FreshnessTimeline Timeline { get; }

    public static async Task<ReliabilityRig> StartAsync(IReadOnlyList<KindInfo> kinds,
        Action<SimulatorOptions>? simulator = null, Action<ClusterOptions>? cluster = null, Action<SimulatorHost>? beforeInformers = null,
        bool quiet = false)
    {
        // Quiet: no log lines kept (a long run would otherwise grow the test's own memory with them).
        var logs = new TestLoggerProvider();
        var loggers = quiet ? LoggerFactory.Create(_ => { }) : TestLoggerProvider.Factory(out logs);
        var simOptions = new SimulatorOptions { Port = 0, Scenarios = { Enabled = false }, BookmarkInterval = TimeSpan.FromMilliseconds(100) };
        simulator?.Invoke(simOptions);
        var sim = await SimulatorHost.StartAsync(simOptions, loggers, TestContext.Current.CancellationToken);
        beforeInformers?.Invoke(sim);
        var recorder = sim.Faults.StartRecording();
        var options = new ClusterOptions
        {
            Mode = ClusterMode.Simulator,
            Kubeconfig = sim.KubeconfigPath,
            BackoffInitial = TimeSpan.FromMilliseconds(10),
            BackoffMax = TimeSpan.FromMilliseconds(200),
            StaleAfter = TimeSpan.FromSeconds(30),
        };
        cluster?.Invoke(options);
        var client = new KubernetesClientFactory(Options.Create(options)).Create();
        var store = new ClusterStore();
        var host = new InformerHost(client, store, store, options, TimeProvider.System, loggers, kinds);
        var rig = new ReliabilityRig(sim, store, host, loggers, logs, recorder);
        await host.StartAsync(TestContext.Current.CancellationToken);
        // API discovery comes first; the informers exist once it has answered.
        await rig.WaitUntilAsync(() => kinds.All(k => host.Find(k) is not null), "an informer for every kind");
        return rig;
    }

    public KindInformer Informer(KindInfo kind) => Host.Find(kind) ?? throw new InvalidOperationException($"no informer for {kind}");

    public Dictionary<string, string> Truth(KindInfo kind) =>
        Simulator.Cluster.List(kind).Items.ToDictionary(o => o["metadata"]!["uid"]!.GetValue<string>(), o => o["metadata"]!["resourceVersion"]!.GetValue<string>());

    public Dictionary<string, string> Cached(KindInfo kind) =>
        Store.Value.Slice(kind).Items.Values.ToDictionary(s => s.Meta.Uid, s => s.Meta.ResourceVersion);

    public bool Converged(KindInfo kind)
    {
        var truth = Truth(kind);
        var cached = Cached(kind);
        return truth.Count == cached.Count && truth.All(t => cached.TryGetValue(t.Key, out var rv) && rv == t.Value);
    }

    public bool LiveAndConverged(params KindInfo[] kinds) =>
        Host.AllSynced && kinds.All(k => Host.Find(k) is { State: FeedState.Live } && Converged(k));

    public string Status() =>
        string.Join("\n", Host.Informers.Select(i => $"{i} lists {i.Lists} unreadable {i.UnreadableEvents} | {i.Freshness.State} {i.Freshness.LastError}"));

    public Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Wait.UntilAsync(condition, what, timeout ?? TimeSpan.FromSeconds(15), Status);

    public void Annotate(KindInfo kind, string? @namespace, string name, string value) =>
        Simulator.Cluster.Update(kind, @namespace, name, o =>
        {
            var meta = (JsonObject)o["metadata"]!;
            if (meta["annotations"] is not JsonObject annotations) meta["annotations"] = annotations = new JsonObject();
            annotations["homeops.test/touched"] = value;
        });

    public async ValueTask DisposeAsync()
    {
        Timeline.Dispose();
        await Host.StopAsync(CancellationToken.None);
        Host.Dispose();
        await Simulator.DisposeAsync();
        _loggers.Dispose();
    }
}
