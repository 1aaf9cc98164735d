using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using HomeOps.Cluster.Model;

namespace HomeOps.Simulator.Faults;

/// <summary>
/// A deterministic plan of faults: which list/watch request of which kind gets an error answer, which line of which
/// watch stream is damaged, and after which write the API server restarts. Generated from a seed with
/// <see cref="Random"/>, so a failing seed reproduces the same plan; or scripted by hand for focused tests.
/// Requests are numbered per kind in arrival order (lists and watches together, 0 = the first request), and lines
/// per stream (0 = the first line sent, bookmarks included). Arm it with <see cref="FaultInjector.Arm"/>; after
/// <see cref="Stop"/> every request and line passes untouched. Thread-safe.
/// </summary>
public sealed class FaultSchedule
{
    private static readonly (FaultType Type, int Weight)[] LineFaultWeights =
    [
        (FaultType.CutMidLine, 14), (FaultType.EndMidLine, 8), (FaultType.SlowPartialLine, 14), (FaultType.DuplicateEvent, 14),
        (FaultType.ReorderEvents, 12), (FaultType.GarbageLine, 8), (FaultType.CorruptEvent, 12), (FaultType.ErrorEvent410, 10),
        (FaultType.TooDeepLine, 4),
    ];

    private readonly Dictionary<string, IReadOnlyList<RequestPlan>> _plans;
    private readonly ConcurrentDictionary<string, int> _ordinals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _injected = new(StringComparer.Ordinal);
    private volatile bool _active = true;

    private FaultSchedule(int seed, Dictionary<string, IReadOnlyList<RequestPlan>> plans, IReadOnlyList<int> restarts)
    {
        Seed = seed;
        _plans = plans;
        RestartsAfterWrites = restarts;
    }

    /// <summary>Generates a plan for <paramref name="kinds"/> (in the order given) from <paramref name="seed"/>.</summary>
    public FaultSchedule(int seed, IEnumerable<KindInfo> kinds, FaultScheduleOptions? options = null)
        : this(seed, new Dictionary<string, IReadOnlyList<RequestPlan>>(StringComparer.Ordinal), [])
    {
        options ??= new FaultScheduleOptions();
        var random = new Random(seed);
        foreach (var kind in kinds)
        {
            var requests = new List<RequestPlan>(options.FaultyRequestsPerKind);
            for (var ordinal = 0; ordinal < options.FaultyRequestsPerKind; ordinal++)
                requests.Add(Generate(random, options));
            _plans[kind.Key] = requests;
        }
        var restarts = new List<int>();
        if (random.NextDouble() < options.RestartRate) restarts.Add(random.Next(Math.Max(1, options.Writes)));
        RestartsAfterWrites = restarts;
    }

    /// <summary>A hand-written plan: <paramref name="script"/> says what happens to which request and line.</summary>
    public static FaultSchedule Scripted(Action<FaultScript> script)
    {
        var builder = new FaultScript();
        script(builder);
        return new FaultSchedule(0, builder.Build(), builder.Restarts);
    }

    public int Seed { get; }

    /// <summary>False once <see cref="Stop"/> was called: nothing more is injected.</summary>
    public bool Active => _active;

    /// <summary>Indexes of the writes (0-based) after which the writer should restart the API with a resourceVersion reset.</summary>
    public IReadOnlyList<int> RestartsAfterWrites { get; private set; }

    /// <summary>Stops injecting: requests and lines from now on pass untouched (streams already open stay open).</summary>
    public void Stop() => _active = false;

    /// <summary>How many faults were actually injected, by name ("watch 429 Too Many Requests + Retry-After", "stream corrupted event line"…).</summary>
    public IReadOnlyDictionary<string, long> Injected => new Dictionary<string, long>(_injected, StringComparer.Ordinal);

    public long InjectedTotal => _injected.Values.Sum();

    /// <summary>Counts a fault injected from outside the API handlers (an API restart the writer performed).</summary>
    public void Count(FaultType type) => Count(FaultNames.Of(type));

    internal void Count(string name) => _injected.AddOrUpdate(name, 1, (_, n) => n + 1);

    /// <summary>The plan of the next request of <paramref name="kind"/> (consumes its ordinal).</summary>
    internal RequestPlan Next(KindInfo kind, out int ordinal)
    {
        ordinal = _ordinals.AddOrUpdate(kind.Key, 0, (_, n) => n + 1);
        if (!_active || !_plans.TryGetValue(kind.Key, out var plans) || ordinal >= plans.Count) return RequestPlan.Clean;
        return plans[ordinal];
    }

    /// <summary>The whole plan, one line per kind, for failure messages.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"seed {Seed}");
        if (RestartsAfterWrites.Count > 0) text.Append(CultureInfo.InvariantCulture, $", API restart after write {string.Join(",", RestartsAfterWrites)}");
        foreach (var (kind, plans) in _plans)
            text.Append(CultureInfo.InvariantCulture, $"\n  {kind}: {string.Join(" | ", plans.Select((p, i) => $"#{i} {p}"))}");
        return text.ToString();
    }

    public override string ToString() => $"FaultSchedule(seed {Seed}, {InjectedTotal} injected)";

    private static RequestPlan Generate(Random random, FaultScheduleOptions options)
    {
        // Always draw the same number of values per request, so one plan's shape does not shift the next one's.
        var requestRoll = random.NextDouble();
        var requestKind = random.Next(100);
        var retryRoll = random.NextDouble();
        var lines = new Dictionary<int, FaultType>();
        for (var line = 0; line < options.PlannedLinesPerStream; line++)
        {
            var roll = random.NextDouble();
            var pick = random.Next(LineFaultWeights.Sum(w => w.Weight));
            if (roll < options.LineFaultRate) lines[line] = Pick(pick);
        }
        if (requestRoll < options.RequestFaultRate)
        {
            TimeSpan? retryAfter = retryRoll < options.RetryAfterShare ? options.RetryAfter : null;
            var fault = requestKind switch
            {
                < 30 => RequestFault.Gone(),
                < 65 => RequestFault.TooManyRequests(retryAfter),
                _ => RequestFault.ServerError(retryAfter),
            };
            return new RequestPlan(fault, new Dictionary<int, FaultType>());
        }
        return lines.Count == 0 ? RequestPlan.Clean : new RequestPlan(null, lines);
    }

    private static FaultType Pick(int value)
    {
        foreach (var (type, weight) in LineFaultWeights)
        {
            if (value < weight) return type;
            value -= weight;
        }
        return LineFaultWeights[^1].Type;
    }
}

/// <summary>Builds a hand-written <see cref="FaultSchedule"/>.</summary>
public sealed class FaultScript
{
    private readonly Dictionary<string, SortedDictionary<int, (RequestFault? Response, Dictionary<int, FaultType> Lines)>> _requests =
        new(StringComparer.Ordinal);

    internal List<int> Restarts { get; } = [];

    /// <summary>Answers request number <paramref name="ordinal"/> of <paramref name="kind"/> with <paramref name="fault"/>.</summary>
    public FaultScript Request(KindInfo kind, int ordinal, RequestFault fault)
    {
        var entry = Entry(kind, ordinal);
        _requests[kind.Key][ordinal] = (fault, entry.Lines);
        return this;
    }

    /// <summary>Damages line <paramref name="line"/> of the watch stream opened by request <paramref name="ordinal"/> of <paramref name="kind"/>.</summary>
    public FaultScript Line(KindInfo kind, int ordinal, int line, FaultType fault)
    {
        Entry(kind, ordinal).Lines[line] = fault;
        return this;
    }

    public FaultScript RestartAfterWrite(int write)
    {
        Restarts.Add(write);
        return this;
    }

    private (RequestFault? Response, Dictionary<int, FaultType> Lines) Entry(KindInfo kind, int ordinal)
    {
        if (!_requests.TryGetValue(kind.Key, out var byOrdinal)) _requests[kind.Key] = byOrdinal = [];
        if (!byOrdinal.TryGetValue(ordinal, out var entry)) byOrdinal[ordinal] = entry = (null, []);
        return entry;
    }

    internal Dictionary<string, IReadOnlyList<RequestPlan>> Build()
    {
        var plans = new Dictionary<string, IReadOnlyList<RequestPlan>>(StringComparer.Ordinal);
        foreach (var (kind, byOrdinal) in _requests)
        {
            var list = new List<RequestPlan>();
            var last = byOrdinal.Keys.Max();
            for (var i = 0; i <= last; i++)
                list.Add(byOrdinal.TryGetValue(i, out var e) && (e.Response is not null || e.Lines.Count > 0)
                    ? new RequestPlan(e.Response, e.Lines)
                    : RequestPlan.Clean);
            plans[kind] = list;
        }
        return plans;
    }
}
