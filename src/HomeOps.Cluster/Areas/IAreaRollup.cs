using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Areas;

/// <summary>
/// One overview area's verdict: its health, the "n/total" count with what it counts, and how fresh its data is.
/// Computed once per state in <see cref="AreaRollups"/>; the tiles, pages, the JSON API, the hub, <c>/metrics</c> and the
/// CLI all read this object, none re-derives it.
/// </summary>
public interface IAreaRollup
{
    /// <summary>The area's name in the API, the hub, the metrics and the CLI: an <see cref="Model.Area"/> name, or <c>LoadBalancers</c>.</summary>
    string Area { get; }

    HealthStatus Health { get; }

    /// <summary>The "n" of <see cref="Count"/> (what needs no action).</summary>
    int Ok { get; }

    /// <summary>The "total" of <see cref="Count"/>.</summary>
    int Total { get; }

    /// <summary>Exactly "n/total", e.g. "2/3" (BGP while session state is unknown: "?/N").</summary>
    string Count { get; }

    /// <summary>What <see cref="Count"/> counts, e.g. "nodes Ready".</summary>
    string CountLabel { get; }

    /// <summary>The least trustworthy freshness of the area's feeds.</summary>
    Freshness Freshness { get; }
}
