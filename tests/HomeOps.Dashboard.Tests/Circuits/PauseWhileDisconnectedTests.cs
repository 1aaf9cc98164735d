using Bunit;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using HomeOps.Dashboard.Circuits;
using HomeOps.Dashboard.Components.Controls.Tiles;
using HomeOps.Dashboard.Services;
using HomeOps.Dashboard.Tests.TestData;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection;

namespace HomeOps.Dashboard.Tests.Circuits;

/// <summary>A circuit whose connection is down renders nothing; when it comes back it catches up at once.</summary>
public class PauseWhileDisconnectedTests : DashboardTestContext
{
    private PauseWhileDisconnected Handler =>
        Assert.Single(Services.GetServices<CircuitHandler>().OfType<PauseWhileDisconnected>());

    private static void FailSources(ClusterStore store)
    {
        var ks = store.Value.Items(Kinds.Kustomization).Single(k => k.Meta.Name == "infrastructure-sources");
        store.Dispatch(new ResourcesChanged(Kinds.Kustomization,
            [Snap.Kustomization("infrastructure-sources", Snap.V(HealthStatus.Failed, "ArtifactFailed")) with { Meta = ks.Meta }], [], Snap.T0));
    }

    [Fact]
    public async Task A_disconnected_circuit_stops_rendering_and_catches_up_when_the_connection_is_back()
    {
        var store = UseCluster();
        var cut = Render<FluxTile>();
        var handler = Handler;   // registered by AddDashboardUi, in the circuit's scope with its PageVisibility
        var visibility = Services.GetRequiredService<PageVisibility>();

        await cut.InvokeAsync(() => handler.OnConnectionDownAsync(null!, Xunit.TestContext.Current.CancellationToken));
        Assert.True(visibility.IsHidden);

        // An observer with the same window tells us when the batch has been delivered to subscribers.
        var delivered = 0;
        using var observer = store.SubscribeCoalesced((_, _) => { Interlocked.Increment(ref delivered); return Task.CompletedTask; },
            TimeSpan.FromMilliseconds(20));
        FailSources(store);
        Poll.Until(() => Volatile.Read(ref delivered) > 0, Wait);
        // Several windows for a paused viewer to render if it wrongly would.
        Poll.StaysTrue(() => cut.Find("[data-testid=tile-flux-count]").TextContent == "4/4", TimeSpan.FromMilliseconds(200));

        await cut.InvokeAsync(() => handler.OnConnectionUpAsync(null!, Xunit.TestContext.Current.CancellationToken));
        Assert.False(visibility.IsHidden);
        cut.WaitForAssertion(() => Assert.Equal("3/4", cut.Find("[data-testid=tile-flux-count]").TextContent), Wait);
    }

    [Fact]
    public async Task A_reconnected_circuit_whose_tab_is_hidden_stays_paused()
    {
        var handler = Handler;
        var visibility = Services.GetRequiredService<PageVisibility>();
        var changes = new List<bool>();
        visibility.Changed += changes.Add;

        visibility.OnVisibilityChanged(hidden: true);
        await handler.OnConnectionDownAsync(null!, Xunit.TestContext.Current.CancellationToken);
        await handler.OnConnectionUpAsync(null!, Xunit.TestContext.Current.CancellationToken);
        Assert.True(visibility.IsHidden);   // the tab is still hidden
        visibility.OnVisibilityChanged(hidden: false);
        Assert.False(visibility.IsHidden);

        // One notification per change of "can anyone see it", not one per reason.
        Assert.Equal([true, false], changes);
    }
}
