using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources.Credentials;

namespace HomeOps.Cli.Sources;

/// <summary>
/// What a source read: decoded objects, whether some kind could not be read (forbidden, failed), the kinds it listed
/// completely (their absence of an object is a fact, e.g. a missing node) and the kinds the API does not serve.
/// </summary>
public sealed record SourceResult(
    IReadOnlyList<ResourceSnapshot> Snapshots,
    bool Incomplete,
    IReadOnlyCollection<KindInfo> Listed,
    IReadOnlyCollection<KindInfo> NotInstalled)
{
    /// <summary>The kubeconfig's client certificate and the API server's serving certificate, read while connected (the radar).</summary>
    public CredentialReport Credentials { get; init; } = CredentialReport.NotRead;

    public SourceResult Plus(SourceResult other) =>
        new([.. Snapshots, .. other.Snapshots], Incomplete || other.Incomplete, [.. Listed, .. other.Listed], [.. NotInstalled, .. other.NotInstalled])
        {
            Credentials = Credentials.ReadAt is null ? other.Credentials : Credentials,
        };

    /// <summary>
    /// Adds the backup policy's verdicts (<see cref="HomeOps.Cluster.Health.BackupPolicy"/>) evaluated over what was read,
    /// as the dashboard's evaluator would: one <see cref="Kinds.VolumeBackup"/> per volume, listed when the volumes were.
    /// </summary>
    public SourceResult WithBackupPolicy(DateTimeOffset now, HomeOps.Cluster.Health.BackupOptions options)
    {
        if (!Listed.Any(k => k.Key == Kinds.LonghornVolume.Key)) return this;
        var state = StatusState.Of(this, now);
        var backups = HomeOps.Cluster.Health.BackupPolicy.Snapshots(state, options, now);
        return this with { Snapshots = [.. Snapshots, .. backups], Listed = [.. Listed, Kinds.VolumeBackup] };
    }
}
