using System.Collections.Concurrent;
using System.Text.Json;
using HomeOps.Cluster.Health;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources;
using HomeOps.Cluster.State;
using HomeOps.Cluster.Tests.State;
using HomeOps.Simulator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HomeOps.Cluster.Tests.Sources;

/// <summary>
/// A real simulator (its own loopback port, scenarios off) and a real <see cref="InformerHost"/> reading it through
/// KubernetesClient and the simulator's kubeconfig, feeding a <see cref="ClusterStore"/>. Every freshness the store
/// ever held is recorded, so tests can prove a kind was not shown as live while its watch was down.
/// </summary>
internal sealed class InformerRig : IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;
    private readonly IDisposable _subscription;

    private InformerRig(SimulatorHost simulator, ClusterStore store, InformerHost host, ILoggerFactory loggers, TestLoggerProvider logs)
    {
        Simulator = simulator;
        Store = store;
        Host = host;
        _loggers = loggers;
        Logs = logs;
        _subscription = store.Subscribe(change =>
        {
            if (change.Action is FreshnessChanged f) FreshnessHistory.Enqueue((f.Kind.Key, f.Freshness));
            if (change.Action is ResourcesChanged c) Interlocked.Increment(ref _changeActions);
        });
    }

    private long _changeActions;

    public SimulatorHost Simulator { get; }
    public ClusterStore Store { get; }
    public InformerHost Host { get; }
    public TestLoggerProvider Logs { get; }

    /// <summary>Every freshness record dispatched, in order.</summary>
    public ConcurrentQueue<(string Kind, Freshness Freshness)> FreshnessHistory { get; } = new();

    public long ChangeActions => Interlocked.Read(ref _changeActions);

    public static async Task<InformerRig> StartAsync(
        Action<SimulatorOptions>? simulator = null,
        Action<ClusterOptions>? cluster = null,
        IEnumerable<KindInfo>? kinds = null,
        Action<SimulatorHost>? beforeInformers = null,
        TimeProvider? time = null)
    {
        var loggers = TestLoggerProvider.Factory(out var logs);
        var simOptions = new SimulatorOptions { Port = 0, Scenarios = { Enabled = false } };
        simulator?.Invoke(simOptions);
        var sim = await SimulatorHost.StartAsync(simOptions, loggers, TestContext.Current.CancellationToken);
        beforeInformers?.Invoke(sim);

        // Fast backoff keeps recovery tests short; the logic is the production one.
        var options = new ClusterOptions
        {
            Mode = ClusterMode.Simulator,
            Kubeconfig = sim.KubeconfigPath,
            BackoffInitial = TimeSpan.FromMilliseconds(50),
            BackoffMax = TimeSpan.FromMilliseconds(500),
            StaleAfter = TimeSpan.FromSeconds(5),
        };
        cluster?.Invoke(options);
        var client = new KubernetesClientFactory(Options.Create(options)).Create();
        var store = new ClusterStore();
        // The informers' clock (staleness, backoff, discovery): real time unless a test drives its own.
        var host = new InformerHost(client, store, store, options, time ?? TimeProvider.System, loggers, kinds ?? Kinds.Watched);
        var rig = new InformerRig(sim, store, host, loggers, logs);
        await host.StartAsync(TestContext.Current.CancellationToken);
        // Discovery decides which feeds run: wait for its first answer so tests can address the informers.
        await rig.WaitUntilAsync(() => host.DiscoveryRounds > 0, "first API discovery");
        return rig;
    }

    // Objects as deep as kube-apiserver accepts (the depth tests) must not trip the truth's own serializer.
    private static readonly JsonSerializerOptions DeepJson = new() { MaxDepth = InformerJson.ApiServerMaxDepth };

    public KindInformer Informer(KindInfo kind) => Host.Find(kind) ?? throw new InvalidOperationException($"no informer for {kind}");

    /// <summary>The simulator's truth: uid → resourceVersion, of the objects the dashboard keeps (LoadBalancer Services only).</summary>
    public Dictionary<string, string> Truth(KindInfo kind) =>
        Simulator.Cluster.List(kind).Items.Where(o => ResourceDecoder.IsTracked(kind, JsonSerializer.SerializeToElement(o, DeepJson))).ToDictionary(
            o => o["metadata"]!["uid"]!.GetValue<string>(),
            o => o["metadata"]!["resourceVersion"]!.GetValue<string>());

    /// <summary>What the dashboard's store holds: uid → resourceVersion.</summary>
    public Dictionary<string, string> Cached(KindInfo kind) =>
        Store.Value.Slice(kind).Items.Values.ToDictionary(s => s.Meta.Uid, s => s.Meta.ResourceVersion);

    public string Differences(IEnumerable<KindInfo>? kinds = null)
    {
        var lines = new List<string>();
        foreach (var kind in kinds ?? Host.Informers.Select(i => i.Kind))
        {
            var truth = Truth(kind);
            var cached = Cached(kind);
            var missing = truth.Where(t => !cached.TryGetValue(t.Key, out var rv) || rv != t.Value).Select(t => $"{t.Key}@{t.Value}").ToList();
            var extra = cached.Where(c => !truth.ContainsKey(c.Key)).Select(c => c.Key).ToList();
            if (missing.Count > 0 || extra.Count > 0)
                lines.Add($"{kind.Key}: missing/stale [{string.Join(", ", missing.Take(5))}] extra [{string.Join(", ", extra.Take(5))}]");
        }
        return string.Join("\n", lines);
    }

    public bool Converged(IEnumerable<KindInfo>? kinds = null) => Differences(kinds).Length == 0;

    public string Status() =>
        string.Join("\n", Host.Informers.Select(i => $"{i} lists {i.Lists} events {i.EventsReceived} | {i.Freshness.State} {i.Freshness.LastError}"))
        + "\n" + Differences();

    public Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Wait.UntilAsync(condition, what, timeout ?? TimeSpan.FromSeconds(15), Status);

    /// <summary>Every informer synced, watching (Live), and the store equal to the simulator.</summary>
    public Task WaitLiveAndConvergedAsync(string what, TimeSpan? timeout = null) =>
        WaitUntilAsync(() => Host.AllSynced && Host.Informers.All(i => i.State == FeedState.Live && i.Freshness.IsLive) && Converged(), what, timeout);

    /// <summary>Freshness states recorded for a kind after a point in the history.</summary>
    public IReadOnlyList<Freshness> FreshnessOf(KindInfo kind, int skip = 0) =>
        FreshnessHistory.Skip(skip).Where(f => f.Kind == kind.Key).Select(f => f.Freshness).ToList();

    // ---- writes to the simulated cluster, as its controllers would make them ----

    public void Annotate(KindInfo kind, string? @namespace, string name, string value) =>
        Simulator.Cluster.Update(kind, @namespace, name, o =>
        {
            var meta = (JsonObject)o["metadata"]!;
            if (meta["annotations"] is not JsonObject annotations) meta["annotations"] = annotations = new JsonObject();
            annotations["homeops.test/touched"] = value;
        });

    /// <summary>Creates a copy of an existing object under a new name (a new uid).</summary>
    public void CreateCopy(KindInfo kind, string newName)
    {
        var template = Simulator.Cluster.List(kind).Items.First();
        var copy = (JsonObject)template.DeepClone();
        var meta = (JsonObject)copy["metadata"]!;
        meta["name"] = newName;
        meta.Remove("uid");
        meta.Remove("resourceVersion");
        meta.Remove("creationTimestamp");
        Simulator.Cluster.Upsert(copy);
    }

    public void DeleteFirst(KindInfo kind)
    {
        var victim = Simulator.Cluster.List(kind).Items.First();
        Simulator.Cluster.Delete(kind, victim["metadata"]!["namespace"]?.GetValue<string>(), victim["metadata"]!["name"]!.GetValue<string>());
    }

    /// <summary>A burst of changes across several kinds.</summary>
    public void WriteSome(string tag)
    {
        Annotate(Kinds.Node, null, "mini01", tag);
        Annotate(Kinds.Node, null, "mini03", tag);
        var ks = Simulator.Cluster.List(Kinds.Kustomization).Items.Take(3).ToList();
        foreach (var k in ks)
            Annotate(Kinds.Kustomization, k["metadata"]!["namespace"]!.GetValue<string>(), k["metadata"]!["name"]!.GetValue<string>(), tag);
        CreateCopy(Kinds.Kustomization, $"test-{tag}");
        DeleteFirst(Kinds.LonghornVolume);
    }

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        await Host.StopAsync(CancellationToken.None);
        Host.Dispose();
        await Simulator.DisposeAsync();
        _loggers.Dispose();
    }
}
