using HomeOps.Benchmarks.Live.Report;

namespace HomeOps.Benchmarks.Live.Harness;

/// <summary>What every item gets: the run's options, Chromium, and rigs shared between items that need the same cluster.</summary>
public sealed class BenchContext(BenchOptions options, DashboardBinary binary, Browser browser, TextWriter log) : IAsyncDisposable
{
    private readonly Dictionary<string, LiveRig> _rigs = [];

    public BenchOptions Options { get; } = options;
    public DashboardBinary Binary { get; } = binary;
    public Browser Browser { get; } = browser;
    public TextWriter Log { get; } = log;
    public bool Smoke => Options.Smoke;

    /// <summary>A rig at <paramref name="shape"/>, started once and reused by later items; a rig of another shape is stopped first (2 cores).</summary>
    public async Task<LiveRig> RigAsync(ClusterShape shape)
    {
        // The smoke checks the harness end to end, not the figures: one rig serves every item to stay within its budget.
        if (Smoke) shape = ClusterShape.Longhorn151;
        if (_rigs.TryGetValue(shape.Name, out var rig)) return rig;
        foreach (var other in _rigs.Values) await other.DisposeAsync();
        _rigs.Clear();
        rig = await LiveRig.StartAsync(shape, Binary, Browser, Log);
        _rigs[shape.Name] = rig;
        return rig;
    }

    /// <summary>A report stamped with the machine and the command that reproduces it.</summary>
    public BenchReport NewReport(string item, string title) => new(item, title)
    {
        Machine = MachineInfo.Describe(Browser.Version),
        Command = $"dotnet run -c Release --project benchmarks/HomeOps.Benchmarks.Live -- {item}{(Smoke ? " --smoke" : "")}{(Options.Long ? " --long" : "")}",
        Smoke = Smoke,
        Dashboard = Binary.Description,
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var rig in _rigs.Values) await rig.DisposeAsync();
        _rigs.Clear();
    }
}
