using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources.Credentials;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Reports;

/// <summary>The radar's source names: the <c>source</c> label of <c>homeops_expiry_seconds</c> and the JSON's <c>source</c>.</summary>
public static class RadarSources
{
    public const string Certificate = "certificate";
    public const string Kubeconfig = "kubeconfig";
    public const string Talosconfig = "talosconfig";
    public const string ApiServer = "api-server";
    public const string AuthentikToken = "authentik-token";
    public const string LonghornBackup = "longhorn-backup";
}

/// <summary>
/// One thing that ages or expires. <see cref="ExpiresAt"/> is null when it has no date (a token that does not expire, a
/// service-account token, a certificate not issued yet, a credential that could not be read); <see cref="Message"/> says why.
/// <see cref="KindKey"/>/<see cref="Key"/> find the object in the store when it is one (empty for the dashboard's own credentials).
/// </summary>
public sealed record RadarItem(string Source, string? Namespace, string Name, DateTimeOffset? ExpiresAt, HealthStatus Health,
    string Reason, string Message, string KindKey = "", string Key = "")
{
    public string DisplayName => Namespace is null ? Name : $"{Namespace}/{Name}";

    /// <summary>Time left at <paramref name="now"/>; negative once expired; null without a date.</summary>
    public TimeSpan? Left(DateTimeOffset now) => ExpiresAt - now;
}

/// <summary>How one source did: its items' worst health, and a status line ("live", "not installed", "stale: …").</summary>
public sealed record RadarSourceState(string Source, string Title, HealthStatus Health, int Items, string Status);

/// <summary>What a source reads: the cluster state, the dashboard's own credentials, the thresholds and the clock.</summary>
public sealed record RadarInputs(ClusterState State, CredentialReport Credentials, RadarOptions Options, DateTimeOffset Now);

/// <summary>What one source found. <paramref name="Status"/> is honest about absence ("not installed") and staleness.</summary>
public sealed record RadarSourceResult(IReadOnlyList<RadarItem> Items, string Status, HealthStatus? Health = null);

/// <summary>
/// One source of the radar: a plain function over the inputs. Adding a source is a class here and a line in
/// <see cref="ExpiryRadar.DefaultSources"/>; the page, tile, API, CLI and metrics pick it up from the report.
/// </summary>
public interface IRadarSource
{
    string Source { get; }

    string Title { get; }

    RadarSourceResult Read(RadarInputs inputs);
}

/// <summary>
/// The slow-burn radar (issue 15): everything that ages or expires, soonest first, each with one verdict — Healthy, Degraded
/// inside its warning window (or a cert-manager renewal that is overdue), Failed once expired (or a Certificate not Ready).
/// <b>The only place these verdicts are computed</b>: the <c>/radar</c> page and its tile, <c>/api/v1/radar</c>,
/// <c>homeops status</c> and <c>homeops_expiry_seconds</c> all read one <see cref="ExpiryRadar"/>.
/// It is shaped as a rollup (<see cref="IAreaRollup"/>: "n/total" not expiring soon, the least trustworthy freshness of its
/// feeds) so that its tile is an ordinary tile; it is not one of the overview areas of <see cref="AreaRollups.All"/>.
/// </summary>
public sealed record ExpiryRadar(DateTimeOffset GeneratedAt, HealthStatus Health, string Verdict, IReadOnlyList<RadarItem> Items,
    IReadOnlyList<RadarSourceState> Sources, Freshness Freshness) : IAreaRollup
{
    public const string Name = "Radar";

    public string Area => Name;

    public int Ok => Items.Count(i => i.Health == HealthStatus.Healthy);

    public int Total => Items.Count;

    public string Count => $"{Ok}/{Total}";

    public string CountLabel => "not expiring soon";

    public static readonly IReadOnlyList<IRadarSource> DefaultSources =
    [
        new CertificateRadarSource(),
        new CredentialRadarSource(RadarSources.Kubeconfig, "Kubeconfig client certificate", o => o.ClientCertificateWarning),
        new CredentialRadarSource(RadarSources.Talosconfig, "Talosconfig client certificate", o => o.ClientCertificateWarning),
        new CredentialRadarSource(RadarSources.ApiServer, "API server certificate", o => o.ApiServerCertificateWarning),
        new AuthentikTokenRadarSource(),
        new LonghornBackupRadarSource(),
    ];

    public static ExpiryRadar Compute(RadarInputs inputs, IReadOnlyList<IRadarSource>? sources = null)
    {
        var items = new List<RadarItem>();
        var states = new List<RadarSourceState>();
        foreach (var source in sources ?? DefaultSources)
        {
            var result = source.Read(inputs);
            items.AddRange(result.Items);
            var health = result.Health ?? HealthOrder.Worst(result.Items.Select(i => i.Health), HealthStatus.Unknown);
            states.Add(new RadarSourceState(source.Source, source.Title, health, result.Items.Count, result.Status));
        }
        // Soonest (or longest expired) first; what has no date follows, worst first.
        var ordered = items
            .OrderBy(i => i.ExpiresAt is null ? 1 : 0)
            .ThenBy(i => i.ExpiresAt ?? DateTimeOffset.MaxValue)
            .ThenByDescending(i => HealthOrder.Severity(i.Health))
            .ThenBy(i => i.Source, StringComparer.Ordinal)
            .ThenBy(i => i.DisplayName, StringComparer.Ordinal)
            .ToList();
        var worst = HealthOrder.Worst(ordered.Select(i => i.Health), HealthStatus.Unknown);
        return new ExpiryRadar(inputs.Now, worst, VerdictText(ordered, inputs.Now), ordered, states, FreshnessOf(inputs));
    }

    /// <summary>The least trustworthy of the radar's feeds: the Certificate and token slices and the credential reads.</summary>
    public static Freshness FreshnessOf(RadarInputs inputs)
    {
        var credentials = inputs.Credentials.ReadAt is { } at
            ? new Freshness(FeedState.Live, true, at, at, 0, null, at, Polled: true)
            : Freshness.Initial(inputs.Now, polled: true);
        return AreaFreshness.Combine([inputs.State.Slice(Kinds.Certificate).Freshness, inputs.State.Slice(Kinds.AuthentikToken).Freshness,
            inputs.State.Slice(Kinds.LonghornVolume).Freshness, credentials]);
    }

    /// <summary>"3 expired, 1 expiring soon", "nothing expires within its warning window", "nothing to watch".</summary>
    public static string VerdictText(IReadOnlyList<RadarItem> items, DateTimeOffset now)
    {
        if (items.Count == 0) return "nothing to watch";
        var expired = items.Count(i => i.Left(now) is { } l && l <= TimeSpan.Zero);
        var failed = items.Count(i => i.Health == HealthStatus.Failed);
        var degraded = items.Count(i => i.Health == HealthStatus.Degraded);
        var parts = new List<string>();
        if (expired > 0) parts.Add($"{expired} expired");
        if (failed > expired) parts.Add($"{failed - expired} failed");
        if (degraded > 0) parts.Add($"{degraded} expiring soon or overdue");
        if (parts.Count > 0) return string.Join(", ", parts);
        return items.Any(i => i.Health == HealthStatus.Unknown) ? "nothing expiring; some dates unknown" : "nothing expires within its warning window";
    }

    /// <summary>The one time rule: expired → Failed; inside the warning window → Degraded; otherwise Healthy.</summary>
    public static (HealthStatus Health, string Reason, string Message) Judge(DateTimeOffset expiresAt, TimeSpan warning, DateTimeOffset now)
    {
        var left = expiresAt - now;
        if (left <= TimeSpan.Zero) return (HealthStatus.Failed, "Expired", $"expired {Freshness.Age(-left)} ago");
        if (left < warning) return (HealthStatus.Degraded, "ExpiringSoon", $"expires in {Freshness.Age(left)} (warning at {Freshness.Age(warning)})");
        return (HealthStatus.Healthy, "Valid", $"expires in {Freshness.Age(left)}");
    }

}

/// <summary>cert-manager Certificates: Ready, <c>status.notAfter</c>, <c>status.renewalTime</c>.</summary>
public sealed class CertificateRadarSource : IRadarSource
{
    public string Source => RadarSources.Certificate;

    public string Title => "cert-manager Certificates";

    public RadarSourceResult Read(RadarInputs inputs)
    {
        var slice = inputs.State.Slice(Kinds.Certificate);
        var status = slice.Freshness.State switch
        {
            FeedState.NotInstalled => "cert-manager is not installed: certificates.cert-manager.io is not served",
            _ => slice.Freshness.Describe(inputs.Now),
        };
        var items = slice.Items.Values.Select(s => Item(s, inputs.Options, inputs.Now)).ToList();
        // Absent or unreadable is not "healthy": no items and no verdict.
        HealthStatus? health = items.Count == 0 && !slice.Freshness.IsLive ? HealthStatus.Unknown : null;
        return new RadarSourceResult(items, status, health);
    }

    public static RadarItem Item(ResourceSnapshot s, RadarOptions options, DateTimeOffset now)
    {
        var d = s.Details as CertificateDetails;
        var item = new RadarItem(RadarSources.Certificate, s.Meta.Namespace, s.Meta.Name, d?.NotAfter, HealthStatus.Unknown, "", "",
            s.Kind.Key, s.Key);
        if (d is null) return item with { Reason = s.Verdict.Reason, Message = s.Verdict.Message };
        if (d.NotAfter is { } notAfter && notAfter <= now)
            return item with { Health = HealthStatus.Failed, Reason = "Expired", Message = $"expired {Freshness.Age(now - notAfter)} ago" };
        // Not Ready is Failed, whatever the dates say (cert-manager's reason and message).
        if (s.Verdict.Health != HealthStatus.Healthy)
            return item with { Health = HealthStatus.Failed, Reason = s.Verdict.Reason, Message = $"not Ready: {s.Verdict.Message}" };
        if (d.NotAfter is not { } expires)
            return item with { Reason = "NoExpiry", Message = "Ready, but cert-manager reports no notAfter" };
        if (d.RenewalTime is { } renewal && now - renewal > options.RenewalGrace)
            return item with
            {
                Health = HealthStatus.Degraded, Reason = "RenewalOverdue",
                Message = $"renewal was due {Freshness.Age(now - renewal)} ago and has not happened; expires in {Freshness.Age(expires - now)}",
            };
        var (health, reason, message) = ExpiryRadar.Judge(expires, options.CertificateWarning, now);
        return item with { Health = health, Reason = reason, Message = message };
    }
}

/// <summary>One of the dashboard's own credentials (<see cref="CredentialReport"/>): a client or serving certificate.</summary>
public sealed class CredentialRadarSource(string source, string title, Func<RadarOptions, TimeSpan> warning) : IRadarSource
{
    public string Source => source;

    public string Title => title;

    public RadarSourceResult Read(RadarInputs inputs)
    {
        var report = inputs.Credentials;
        var items = report.Readings.Where(r => r.Source == source).Select(r => Item(r, warning(inputs.Options), inputs.Now)).ToList();
        if (report.ReadAt is not { } at || items.Count == 0) return new RadarSourceResult(items, "not read", HealthStatus.Unknown);
        return new RadarSourceResult(items, $"read {Freshness.Age(inputs.Now - at)} ago");
    }

    public static RadarItem Item(CredentialReading r, TimeSpan warning, DateTimeOffset now)
    {
        var item = new RadarItem(r.Source, null, r.Name.Length > 0 ? r.Name : r.Source, r.NotAfter, HealthStatus.Unknown, "", "");
        if (r.Error is { } error) return item with { Reason = "Unreadable", Message = error };
        if (r.NotAfter is { } notAfter)
        {
            var (health, reason, message) = ExpiryRadar.Judge(notAfter, warning, now);
            return item with { Health = health, Reason = reason, Message = r.Subject is { Length: > 0 } subject ? $"{message} · {subject}" : message };
        }
        // A service-account token has no date to show: the kubelet rotates it.
        if (r.Note == CredentialCertificates.ServiceAccountNote)
            return item with { Health = HealthStatus.Healthy, Reason = "RotatedByKubelet", Message = r.Note };
        return item with { Reason = "NoCertificate", Message = r.Note ?? "no certificate" };
    }
}

/// <summary>
/// Authentik API tokens. Their verdict is the token rule's (<see cref="AuthentikDecoder.TokenRule"/>, warning at
/// <see cref="AuthentikDecoder.ExpiryWarning"/>), read here, not judged again: the Authentik area and the radar agree.
/// </summary>
public sealed class AuthentikTokenRadarSource : IRadarSource
{
    public string Source => RadarSources.AuthentikToken;

    public string Title => "Authentik tokens";

    public RadarSourceResult Read(RadarInputs inputs)
    {
        var slice = inputs.State.Slice(Kinds.AuthentikToken);
        var items = slice.Items.Values.Select(s => new RadarItem(RadarSources.AuthentikToken, null, s.Meta.Name,
            s.Details is AuthentikTokenDetails { Expiring: true } t ? t.Expires : null,
            s.Verdict.Health, s.Verdict.Reason, s.Verdict.Message, s.Kind.Key, s.Key)).ToList();
        HealthStatus? health = items.Count == 0 && !slice.Freshness.IsLive ? HealthStatus.Unknown : null;
        return new RadarSourceResult(items, slice.Freshness.Describe(inputs.Now), health);
    }
}

/// <summary>
/// Longhorn backups: one item per volume that a backup job reaches, due at last backup + its group's maximum age. The verdict
/// is <see cref="BackupPolicy"/>'s, read from the store (<see cref="BackupPolicy.Current"/>) — the same one the Longhorn tile,
/// problem list and <c>/metrics</c> show — never judged again here. Volumes without a backup policy have no deadline: they are
/// counted in the status line, and listed on the Longhorn page.
/// </summary>
public sealed class LonghornBackupRadarSource : IRadarSource
{
    public string Source => RadarSources.LonghornBackup;

    public string Title => "Longhorn backups";

    public RadarSourceResult Read(RadarInputs inputs)
    {
        var volumes = inputs.State.Slice(Kinds.LonghornVolume);
        var items = new List<RadarItem>();
        var withoutPolicy = 0;
        foreach (var s in inputs.State.Items(Kinds.VolumeBackup))
        {
            var d = BackupPolicy.ToDeadline(s);
            if (d.Group is null) { withoutPolicy++; continue; }
            var (ns, name) = d.Claim.Split('/', 2) is [var n, var c] ? (n, c) : ((string?)null, d.Volume);
            items.Add(new RadarItem(RadarSources.LonghornBackup, ns, name, d.DueAt, s.Verdict.Health, s.Verdict.Reason,
                s.Verdict.Message, s.Kind.Key, s.Key));
        }
        var status = volumes.Freshness.Describe(inputs.Now);
        if (withoutPolicy > 0) status += $"; {withoutPolicy} volume{(withoutPolicy == 1 ? "" : "s")} without a backup policy";
        HealthStatus? health = items.Count == 0 && !volumes.Freshness.IsLive ? HealthStatus.Unknown : null;
        return new RadarSourceResult(items, status, health);
    }
}
