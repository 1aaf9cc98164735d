using HomeOps.Simulator.Authentik;
using HomeOps.Simulator.Store;
using Microsoft.Extensions.Logging;

namespace HomeOps.Simulator.Scenarios;

/// <summary>
/// Runs the scenarios: by name from tests (<see cref="Trigger"/>, <see cref="Recover"/>), or as a deterministic
/// sequence (<see cref="Step"/>) — each step either recovers the scenario the sequence last triggered or triggers
/// one picked by a <see cref="Random"/> seeded from configuration, so the same seed always yields the same
/// sequence. When enabled, a background loop takes one step per interval for the demo.
/// </summary>
public sealed class ScenarioEngine : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly ScenarioContext _context;
    private readonly IReadOnlyList<IScenario> _scenarios;
    private readonly Random _random;
    private readonly ILogger _log;
    private readonly List<ScenarioStep> _history = [];
    private readonly HashSet<string> _active = new(StringComparer.Ordinal);
    private string? _sequenceActive;
    private string? _lastTriggered;
    private CancellationTokenSource? _loopStop;
    private Task? _loop;

    internal ScenarioEngine(ClusterObjectStore cluster, AuthentikState authentik, TimeProvider time, int seed, ILogger log,
        Network.LoopbackProbeTargets? probeTargets = null)
    {
        _context = new ScenarioContext(cluster, authentik, time) { ProbeTargets = probeTargets };
        _random = new Random(seed);
        _log = log;
        _scenarios =
        [
            new NodeNotReadyScenario(),
            new HelmReleaseFailsScenario(),
            new VolumeDegradesScenario(),
            new BgpDropsScenario(),
            new OutpostSilentScenario(),
            new TokenExpiryScenario(),
            new SecretStoreFailsScenario(),
            new VipStopsAnsweringScenario(),
            new ImagePullFailsScenario(),
            new BackupTargetUnavailableScenario(),
            new BackupGoesStaleScenario(),
        ];
    }

    /// <summary>Scenario names: node-notready, helmrelease-fails, volume-degrades, bgp-drops, outpost-silent, token-expiry, secret-store-fails, vip-stops-answering, image-pull-fails, backup-target-unavailable, backup-goes-stale.</summary>
    public IReadOnlyList<string> Names => _scenarios.Select(s => s.Name).ToList();

    /// <summary>Scenarios currently triggered and not yet recovered.</summary>
    public IReadOnlyCollection<string> Active
    {
        get { lock (_gate) return _active.ToList(); }
    }

    /// <summary>Every step taken so far (by name or by the sequence), oldest first.</summary>
    public IReadOnlyList<ScenarioStep> History
    {
        get { lock (_gate) return _history.ToList(); }
    }

    /// <summary>Raised after each step, on the thread that took it (the background loop's, or the caller's).</summary>
    public event Action<ScenarioOutcome>? StepTaken;

    public ScenarioOutcome Trigger(string name) => Announce(Run(Find(name), ScenarioPhase.Triggered));

    public ScenarioOutcome Recover(string name) => Announce(Run(Find(name), ScenarioPhase.Recovered));

    /// <summary>Takes the next step of the seeded sequence: recover what it triggered last, or trigger the next pick.</summary>
    public ScenarioOutcome Step()
    {
        ScenarioOutcome outcome;
        lock (_gate)
        {
            if (_sequenceActive is { } active)
            {
                _sequenceActive = null;
                outcome = Run(Find(active), ScenarioPhase.Recovered);
            }
            else
            {
                var candidates = _scenarios.Where(s => s.IsApplicable(_context)).ToList();
                if (candidates.Count == 0) throw new InvalidOperationException("No scenario applies to the current cluster state");
                // Avoid the same scenario twice in a row, so the demo shows variety.
                var pool = candidates.Count > 1 ? candidates.Where(s => s.Name != _lastTriggered).ToList() : candidates;
                var pick = pool[_random.Next(pool.Count)];
                _sequenceActive = pick.Name;
                outcome = Run(pick, ScenarioPhase.Triggered);
            }
        }
        return Announce(outcome);
    }

    /// <summary>Starts the background loop (one <see cref="Step"/> per <paramref name="interval"/>).</summary>
    internal void Start(TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), "The scenario interval must be positive");
        _loopStop = new CancellationTokenSource();
        _loop = LoopAsync(interval, _loopStop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_loopStop is null) return;
        await _loopStop.CancelAsync();
        try
        {
            await _loop!;
        }
        catch (OperationCanceledException)
        {
        }
        _loopStop.Dispose();
        _loopStop = null;
    }

    private async Task LoopAsync(TimeSpan interval, CancellationToken token)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(token))
        {
            try
            {
                Step();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _log.LogWarning(e, "Scenario step failed");
            }
        }
    }

    private ScenarioOutcome Run(IScenario scenario, ScenarioPhase phase)
    {
        ScenarioOutcome outcome;
        lock (_gate)
        {
            if (!scenario.IsApplicable(_context))
            {
                throw new InvalidOperationException($"Scenario '{scenario.Name}' does not apply: the objects it acts on are missing");
            }
            var touched = phase == ScenarioPhase.Triggered ? scenario.Trigger(_context) : scenario.Recover(_context);
            if (phase == ScenarioPhase.Triggered)
            {
                _active.Add(scenario.Name);
                _lastTriggered = scenario.Name;
            }
            else
            {
                _active.Remove(scenario.Name);
                if (_sequenceActive == scenario.Name) _sequenceActive = null;
            }
            _history.Add(new ScenarioStep(scenario.Name, phase));
            outcome = new ScenarioOutcome(scenario.Name, phase, touched);
        }
        return outcome;
    }

    // Outside the engine's lock, so handlers may read the engine from any thread.
    private ScenarioOutcome Announce(ScenarioOutcome outcome)
    {
        _log.LogInformation("Scenario {Scenario} {Phase}: {Touched}", outcome.Scenario, outcome.Phase, string.Join(", ", outcome.Touched));
        StepTaken?.Invoke(outcome);
        return outcome;
    }

    private IScenario Find(string name) =>
        _scenarios.FirstOrDefault(s => s.Name == name)
        ?? throw new ArgumentException($"Unknown scenario '{name}'. Known: {string.Join(", ", Names)}", nameof(name));
}
