using HomeOps.Dashboard.Services;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace HomeOps.Dashboard.Circuits;

/// <summary>
/// Pauses a circuit's store subscriptions while its connection is down and resumes them when it comes back.
/// A circuit whose browser went away is kept for the disconnected-circuit retention period (3 min by default);
/// without this it re-rendered every batch for nobody (docs/benchmarks.md item 5). It reuses the hidden-tab pause
/// (<see cref="PageVisibility"/>): on resume each subscription delivers everything that changed meanwhile, which is
/// the refresh the returning browser needs.
/// </summary>
public sealed class PauseWhileDisconnected(PageVisibility visibility) : CircuitHandler
{
    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        visibility.OnConnectionChanged(connected: false);
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        visibility.OnConnectionChanged(connected: true);
        return Task.CompletedTask;
    }
}
