using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Dashboard.ViewModels;

public sealed record OutpostRow(
    string Key,
    string Name,
    HealthStatus Health,
    string Reason,
    string Message,
    string Type,
    bool Embedded,
    int Providers,
    int Instances,
    DateTimeOffset? LastSeen,
    string Version,
    string VersionShould,
    bool Outdated,
    ResourceSnapshot Resource)
{
    public string TestId => RowIds.For(Kinds.AuthentikOutpost, Name);
}

public sealed record TokenRow(
    string Key,
    string Identifier,
    HealthStatus Health,
    string Reason,
    string Message,
    string Intent,
    string User,
    bool Expiring,
    DateTimeOffset? Expires,
    int? DaysLeft,
    string Description,
    ResourceSnapshot Resource)
{
    public string TestId => RowIds.For(Kinds.AuthentikToken, Identifier);

    public string ExpiryText => !Expiring || DaysLeft is null
        ? "does not expire"
        : DaysLeft < 0 ? $"expired {-DaysLeft} d ago" : $"expires in {DaysLeft} d";
}

/// <summary>The Authentik tile and page: the Cluster rollup (health, counts), the API token and the outposts with a problem.</summary>
public sealed record AuthentikSummary(AuthentikRollup Rollup, TokenRow? ApiToken, IReadOnlyList<OutpostRow> Problems)
{
    public HealthStatus Health => Rollup.Health;

    public int HealthyOutposts => Rollup.HealthyOutposts;

    public int Outposts => Rollup.Outposts;

    public Freshness Freshness => Rollup.Freshness;

    public string Count => Rollup.Count;
}

/// <summary>Authentik area: outposts (health, last seen, version drift, providers) and API tokens (expiry).</summary>
public static class AuthentikView
{
    public static IReadOnlyList<OutpostRow> Outposts(ClusterState state) =>
        HealthOrder.WorstFirst(state.Items(Kinds.AuthentikOutpost).Select(o =>
        {
            var d = o.Details as AuthentikOutpostDetails;
            var instances = d is null ? [] : d.Instances;
            var outdated = instances.FirstOrDefault(i => i.VersionOutdated);
            var any = outdated ?? instances.FirstOrDefault();
            return new OutpostRow(o.Key, o.Meta.Name, o.Verdict.Health, o.Verdict.Reason, o.Verdict.Message,
                d?.Type ?? "", d?.Embedded ?? false, d?.Providers.Length ?? 0, instances.Length,
                d?.LastSeen ?? instances.Max(i => i.LastSeen), any?.Version ?? "", any?.VersionShould ?? "", outdated is not null, o);
        }), r => r.Health, r => r.Name);

    public static IReadOnlyList<TokenRow> Tokens(ClusterState state, DateTimeOffset now) =>
        HealthOrder.WorstFirst(state.Items(Kinds.AuthentikToken).Select(t =>
        {
            var d = t.Details as AuthentikTokenDetails;
            var identifier = d is { Identifier.Length: > 0 } ? d.Identifier : t.Meta.Name;
            int? days = d is { Expiring: true, Expires: { } at } ? Format.DaysUntil(at, now) : null;
            return new TokenRow(t.Key, identifier, t.Verdict.Health, t.Verdict.Reason, t.Verdict.Message,
                d?.Intent ?? "", d?.User ?? "", d?.Expiring ?? false, d?.Expires, days, d?.Description ?? "", t);
        }), r => r.Health, r => r.Identifier);

    /// <summary>The API token the dashboard cares about: the API-intent token that expires first.</summary>
    public static TokenRow? ApiToken(IEnumerable<TokenRow> tokens) =>
        tokens.Where(t => t.Intent.Equals("api", StringComparison.OrdinalIgnoreCase))
            .OrderBy(t => t.Expiring && t.Expires is not null ? 0 : 1)
            .ThenBy(t => t.Expires ?? DateTimeOffset.MaxValue)
            .FirstOrDefault();

    public static AuthentikSummary Summarize(ClusterState state, DateTimeOffset now) =>
        new(AreaRollups.Authentik(state), ApiToken(Tokens(state, now)), Outposts(state).Where(o => HealthOrder.IsProblem(o.Health)).ToList());
}
