using HomeOps.Cluster.Model;
using HomeOps.Cluster.Reports;
using HomeOps.Cluster.Sources.Credentials;
using HomeOps.Cluster.State;
using Microsoft.AspNetCore.Components;

namespace HomeOps.Dashboard.Components.Controls;

/// <summary>
/// The base of the radar's page and tile: recomputes <see cref="Radar"/> (<see cref="RadarReader"/>, the one computation)
/// when Certificates, Authentik tokens or backup verdicts change in the store, and when the dashboard's own credentials were read again.
/// </summary>
public abstract class RadarComponent : StoreBoundComponent
{
    [Inject] protected RadarReader Reader { get; set; } = default!;

    protected ExpiryRadar Radar { get; private set; } = default!;

    // The radar reads a few kinds across areas (Certificates sit in Secrets, tokens in Authentik, backup verdicts in
    // Longhorn): it recomputes when one of them changes (see Concerns), not on every change of those areas.
    protected override IReadOnlyCollection<Area> Areas { get; } = [];

    /// <summary>
    /// Certificates, Authentik tokens and backup verdicts (objects or freshness), and the Longhorn volumes' freshness (the
    /// backup source says when its feed is stale). A volume that merely changes size does not recompute the radar.
    /// </summary>
    protected override bool Concerns(ChangeSet changes, ClusterState state) =>
        changes.Touches(Kinds.Certificate) || changes.Touches(Kinds.AuthentikToken) || changes.Touches(Kinds.VolumeBackup) ||
        changes.FreshnessChanged.Contains(Kinds.LonghornVolume.Key);

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
