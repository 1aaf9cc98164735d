namespace HomeOps.Cluster.Model;

/// <summary>How a source of data is doing. Freshness is data: the UI must never show stale data as live.</summary>
public enum FeedState
{
    /// <summary>Never synced yet.</summary>
    Connecting,
    /// <summary>Listed and watching (or, for a poller, the last poll succeeded).</summary>
    Live,
    /// <summary>Synced before, the stream dropped; re-listing or backing off. Data shown is the last known.</summary>
    Reconnecting,
    /// <summary>The API answers that the kind is not served (CRD not installed).</summary>
    NotInstalled,
    /// <summary>RBAC forbids reading this kind.</summary>
    Forbidden,
    /// <summary>Failing without having synced (unreachable API, bad credentials).</summary>
    Error,
}

/// <summary>The freshness record of one kind's source: synced, last event, reconnects.</summary>
public sealed record Freshness(
    FeedState State,
    bool Synced,
    DateTimeOffset? LastSyncAt,
    DateTimeOffset? LastEventAt,
    int Reconnects,
    string? LastError,
    DateTimeOffset Since,
    bool Polled = false)
{
    public static Freshness Initial(DateTimeOffset now, bool polled = false) =>
        new(FeedState.Connecting, false, null, null, 0, null, now, polled);

    /// <summary>Data may be trusted as current.</summary>
    public bool IsLive => State == FeedState.Live;

    /// <summary>
    /// Short operator-facing text: "live", "updated 3 s ago", "stale: API unreachable since 2 min". A feed that is not
    /// receiving says since when — a dropped watch, a failing poll and a source that never synced alike — so that on
    /// the operator station, with the API, Authentik and BGP down, no feed's last data reads as live (issue 14).
    /// </summary>
    public string Describe(DateTimeOffset now)
    {
        return State switch
        {
            FeedState.Live when Polled && LastSyncAt is { } at => $"updated {Age(now - at)} ago",
            FeedState.Live => "live",
            FeedState.Connecting => "connecting…",
            FeedState.Reconnecting => Polled
                ? $"stale: API unreachable since {Age(now - Since)}"
                : $"stale: API unreachable since {Age(now - Since)} (watch reconnecting)",
            FeedState.NotInstalled => "not installed",
            FeedState.Forbidden => $"forbidden: {LastError}",
            FeedState.Error => $"unreachable since {Age(now - Since)}: {LastError}",
            _ => State.ToString(),
        };
    }

    public static string Age(TimeSpan t)
    {
        if (t < TimeSpan.Zero) t = TimeSpan.Zero;
        if (t.TotalSeconds < 60) return $"{(int)t.TotalSeconds} s";
        if (t.TotalMinutes < 60) return $"{(int)t.TotalMinutes} min";
        if (t.TotalHours < 48) return $"{(int)t.TotalHours} h";
        return $"{(int)t.TotalDays} d";
    }
}
