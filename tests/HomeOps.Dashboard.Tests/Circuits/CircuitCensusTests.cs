using HomeOps.Dashboard.Circuits;

namespace HomeOps.Dashboard.Tests.Circuits;

/// <summary>
/// <c>homeops_dashboard_circuits{state}</c>: every circuit counts once, as connected while its browser is attached and
/// as disconnected while Blazor keeps it for the retention period; closing it removes it either way.
/// </summary>
public class CircuitCensusTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Circuits_are_counted_connected_then_disconnected_then_gone()
    {
        var census = new CircuitCensus();
        var phone = new CircuitCensusHandler(census);
        var laptop = new CircuitCensusHandler(census);
        // Blazor calls opened, then connection up, for a new circuit (the Circuit argument is not read).
        await phone.OnCircuitOpenedAsync(null!, None);
        await phone.OnConnectionUpAsync(null!, None);
        await laptop.OnCircuitOpenedAsync(null!, None);
        await laptop.OnConnectionUpAsync(null!, None);
        Assert.Equal((2, 0), (census.Connected, census.Disconnected));

        // The phone sleeps: its circuit is kept, disconnected; a reconnect makes it connected again, once.
        await phone.OnConnectionDownAsync(null!, None);
        Assert.Equal((1, 1), (census.Connected, census.Disconnected));
        await phone.OnConnectionUpAsync(null!, None);
        await phone.OnConnectionUpAsync(null!, None);
        Assert.Equal((2, 0), (census.Connected, census.Disconnected));

        // The laptop's tab closes with its beacon (closed while up); the phone's retention runs out (closed while down).
        await laptop.OnCircuitClosedAsync(null!, None);
        await phone.OnConnectionDownAsync(null!, None);
        Assert.Equal((0, 1), (census.Connected, census.Disconnected));
        await phone.OnCircuitClosedAsync(null!, None);
        await phone.OnCircuitClosedAsync(null!, None);
        Assert.Equal((0, 0, 0), (census.Open, census.Connected, census.Disconnected));
    }

    [Fact]
    public async Task The_gauge_has_both_states_always_present()
    {
        var census = new CircuitCensus();
        Assert.Contains("homeops_dashboard_circuits{state=\"connected\"} 0\n", census.Format());
        Assert.Contains("homeops_dashboard_circuits{state=\"disconnected\"} 0\n", census.Format());

        var h = new CircuitCensusHandler(census);
        await h.OnCircuitOpenedAsync(null!, None);
        await h.OnConnectionUpAsync(null!, None);
        await h.OnConnectionDownAsync(null!, None);
        var text = census.Format();
        Assert.Contains("# TYPE homeops_dashboard_circuits gauge\n", text);
        Assert.Contains("homeops_dashboard_circuits{state=\"connected\"} 0\n", text);
        Assert.Contains("homeops_dashboard_circuits{state=\"disconnected\"} 1\n", text);
    }
}
