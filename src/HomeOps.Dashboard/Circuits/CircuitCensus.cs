using System.Text;
using HomeOps.Cluster.Metrics;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace HomeOps.Dashboard.Circuits;

/// <summary>
/// How many Blazor circuits this process holds, and how many of them have lost their browser: a circuit whose
/// connection dropped without the browser's disconnect beacon (a phone that slept, a closed laptop) is kept for the
/// disconnected-circuit retention period (3 min) and costs memory meanwhile. Exposed as
/// <c>homeops_dashboard_circuits{state}</c> on /metrics; the memory benchmark waits on it to release closed circuits.
/// </summary>
public sealed class CircuitCensus
{
    private int _open;
    private int _connected;

    public int Open => Volatile.Read(ref _open);
    public int Connected => Volatile.Read(ref _connected);
    public int Disconnected => Math.Max(0, Open - Connected);

    internal void Opened() => Interlocked.Increment(ref _open);
    internal void Closed() => Interlocked.Decrement(ref _open);
    internal void Up() => Interlocked.Increment(ref _connected);
    internal void Down() => Interlocked.Decrement(ref _connected);

    public IReadOnlyList<MetricFamily> Build()
    {
        var circuits = new MetricFamily("homeops_dashboard_circuits", MetricType.Gauge,
            "Blazor circuits held by this dashboard process: connected (a browser is attached) or disconnected (kept for the retention period, 3 min, in case the browser comes back).",
            "state");
        var (open, connected) = (Open, Connected);
        circuits.Add(connected, "connected");
        circuits.Add(Math.Max(0, open - connected), "disconnected");
        return [circuits];
    }

    public string Format()
    {
        var sb = new StringBuilder(256);
        foreach (var family in Build()) family.WriteTo(sb);
        return sb.ToString();
    }
}

/// <summary>Counts one circuit in the <see cref="CircuitCensus"/> (scoped: one per circuit, like every circuit handler).</summary>
public sealed class CircuitCensusHandler(CircuitCensus census) : CircuitHandler
{
    private bool _up;
    private bool _open;

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _open = true;
        census.Opened();
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (!_up) census.Up();
        _up = true;
        return Task.CompletedTask;
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (_up) census.Down();
        _up = false;
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (_up) census.Down();
        if (_open) census.Closed();
        (_up, _open) = (false, false);
        return Task.CompletedTask;
    }
}
