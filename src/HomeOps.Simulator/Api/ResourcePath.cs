using System.Net;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.Api;

/// <summary>
/// A resource URL below <c>/api/v1</c> or <c>/apis/{group}/{version}</c>, parsed:
/// <c>[namespaces/{ns}/]{plural}[/{name}[/status]]</c>.
/// </summary>
internal sealed record ResourcePath(KindInfo Kind, string? Namespace, string? Name, bool Status)
{
    /// <summary>Parses against the kinds <paramref name="api"/> serves now: an omitted kind is 404 like any unknown resource.</summary>
    public static ResourcePath Parse(ServedApi api, string group, string version, string rest)
    {
        var segments = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string? ns = null;
        if (segments.Length >= 3 && segments[0] == "namespaces")
        {
            ns = segments[1];
            segments = segments[2..];
        }
        if (segments.Length is 0 or > 3) throw NotFound();
        var kind = api.FindByResource(group, version, segments[0]) ?? throw NotFound();
        if (ns is not null && !kind.Namespaced) throw NotFound();
        var name = segments.Length >= 2 ? segments[1] : null;
        var status = false;
        if (segments.Length == 3)
        {
            if (segments[2] != "status" || !ServedKinds.HasStatusSubresource(kind) || Kinds.IsPolled(kind)) throw NotFound();
            status = true;
        }
        return new ResourcePath(kind, ns, name, status);
    }

    private static ApiException NotFound() =>
        new(HttpStatusCode.NotFound, "NotFound", "the server could not find the requested resource");
}
