using HomeOps.Cluster.Model;
using HomeOps.Cluster.Reports;
using HomeOps.Cluster.Sources.Credentials;
using Microsoft.AspNetCore.Components;

namespace HomeOps.Dashboard.Components.Controls;

/// <summary>
/// The base of the radar's page and tile: recomputes <see cref="Radar"/> (<see cref="RadarReader"/>, the one computation)
/// when Certificates or Authentik tokens change in the store, and when the dashboard's own credentials were read again.
/// </summary>
public abstract class RadarComponent : StoreBoundComponent
{
    [Inject] protected RadarReader Reader { get; set; } = default!;

    protected ExpiryRadar Radar { get; private set; } = default!;

    // Certificates sit in the Secrets area, tokens in Authentik's.
    protected override IReadOnlyCollection<Area> Areas { get; } = [Area.Secrets, Area.Authentik];

    protected override void OnInitialized()
    {
        base.OnInitialized();
        if (RendererInfo.IsInteractive) Reader.Credentials.Changed += OnCredentialsRead;
    }

    protected override void OnStateChanged() => Radar = Reader.For(State);

    private void OnCredentialsRead(CredentialReport report) => _ = InvokeAsync(() =>
    {
        OnStateChanged();
        StateHasChanged();
    });

    protected override void Dispose(bool disposing)
    {
        Reader.Credentials.Changed -= OnCredentialsRead;
        base.Dispose(disposing);
    }
}
