using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.Api;

/// <summary>
/// API discovery as kubectl and the dashboard read it. The resource entries are the live home-ops cluster's own
/// documents (embedded under Discovery/, as captured), reduced at request time to the kinds this simulator serves
/// right now — kubectl queries every advertised group version and complains about each one that 404s — so short
/// names, verbs and categories are the real ones. Where the simulator serves a kind at a version the live cluster
/// did not (BGPv2 kinds at cilium.io/v2, like Cilium ≥ 1.18), the entry is the live one with the version moved.
/// Group lists are built from the served kinds; omitted kinds disappear, forbidden ones stay listed (RBAC does not hide discovery).
/// </summary>
internal sealed partial class DiscoveryDocuments
{
    private const string ResourcePrefix = "Discovery/";
    private const string ResourceSuffix = "/serverresources.json";

    private readonly Dictionary<string, JsonObject> _documents;
    private readonly ServedApi _api;

    private DiscoveryDocuments(Dictionary<string, JsonObject> documents, ServedApi api)
    {
        _documents = documents;
        _api = api;
    }

    public static DiscoveryDocuments Load(ServedApi api)
    {
        var assembly = typeof(DiscoveryDocuments).Assembly;
        var documents = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            var normalized = name.Replace('\\', '/');
            if (!normalized.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !normalized.EndsWith(ResourceSuffix, StringComparison.Ordinal)) continue;
            var groupVersion = normalized[ResourcePrefix.Length..^ResourceSuffix.Length];
            documents[groupVersion] = JsonNode.Parse(Read(assembly, name))!.AsObject();
        }
        var discovery = new DiscoveryDocuments(documents, api);
        foreach (var kind in api.All)
        {
            if (discovery.Entry(kind) is null) throw new InvalidOperationException($"No embedded discovery entry for {ApiResource(kind)}");
        }
        return discovery;
    }

    /// <summary><c>GET /api/v1</c> or <c>GET /apis/{group}/{version}</c>; null when that group version serves nothing now.</summary>
    public JsonNode? ResourceList(string groupVersion)
    {
        var kinds = _api.Served.Where(k => k.ApiVersion == groupVersion).ToList();
        if (kinds.Count == 0) return null;
        var resources = new JsonArray();
        foreach (var kind in kinds.OrderBy(k => k.Plural, StringComparer.Ordinal))
        {
            resources.Add(Entry(kind)!);
            if (ServedKinds.HasStatusSubresource(kind) && !Kinds.IsPolled(kind) && StatusEntry(kind) is { } status) resources.Add(status);
            // pods/log is served (PodLogs): kubectl logs and the dashboard's operator-only log view read it.
            if (kind.Key == Kinds.Pod.Key && FindEntry(kind, kind.Plural + "/log") is { } log) resources.Add(log);
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = groupVersion,
            ["resources"] = resources,
        };
    }

    /// <summary><c>GET /api</c>.</summary>
    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject
        {
            ["clientCIDR"] = "0.0.0.0/0",
            ["serverAddress"] = serverAddress,
        }),
    };

    /// <summary><c>GET /apis</c>: only the groups and versions served here now.</summary>
    public JsonObject GroupList()
    {
        var groups = new JsonArray();
        foreach (var name in GroupNames()) groups.Add(Group(name));
        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    /// <summary><c>GET /apis/{group}</c>; null when the group is not served.</summary>
    public JsonObject? GroupDocument(string group)
    {
        if (!GroupNames().Contains(group)) return null;
        var document = Group(group);
        document["kind"] = "APIGroup";
        document["apiVersion"] = "v1";
        return document;
    }

    private List<string> GroupNames() =>
        _api.Served.Select(k => k.Group).Where(g => g.Length > 0).Distinct().ToList();

    private JsonObject Group(string group)
    {
        // The server's preferred version is the most stable, newest one (v2 before v2alpha1), as for a real CRD.
        var versions = _api.Served.Where(k => k.Group == group).Select(k => k.Version).Distinct()
            .OrderByDescending(VersionPriority).ToList();
        var list = new JsonArray();
        foreach (var version in versions) list.Add(VersionEntry(group, version));
        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = list,
            ["preferredVersion"] = VersionEntry(group, versions[0]),
        };
    }

    /// <summary>The live cluster's entry for a kind at its served version, or the same resource from another version of its group.</summary>
    private JsonObject? Entry(KindInfo kind) => FindEntry(kind, kind.Plural);

    private JsonObject? StatusEntry(KindInfo kind) => FindEntry(kind, kind.Plural + "/status");

    private JsonObject? FindEntry(KindInfo kind, string name)
    {
        var sameVersion = _documents.GetValueOrDefault(kind.ApiVersion);
        var others = _documents.Where(d => d.Key != kind.ApiVersion && GroupOf(d.Key) == kind.Group).Select(d => d.Value);
        foreach (var document in (sameVersion is null ? others : others.Prepend(sameVersion)))
        {
            var entry = (document["resources"] as JsonArray ?? []).OfType<JsonObject>()
                .FirstOrDefault(r => r.String("name") == name && (name.Contains('/') || r.String("kind") == kind.Kind));
            if (entry is null) continue;
            var copy = (JsonObject)entry.DeepClone();
            if (copy.ContainsKey("version")) copy["version"] = kind.Version;
            return copy;
        }
        return null;
    }

    private static string GroupOf(string groupVersion) => groupVersion.Contains('/') ? groupVersion[..groupVersion.IndexOf('/')] : "";

    private static string ApiResource(KindInfo kind) => kind.Group.Length == 0 ? kind.Plural : $"{kind.Plural}.{kind.Group}";

    [GeneratedRegex(@"^v(?<major>\d+)(?<stage>alpha|beta)?(?<minor>\d+)?$")]
    private static partial Regex KubeVersion();

    /// <summary>Kubernetes' version priority: GA over beta over alpha, then the higher numbers.</summary>
    private static int VersionPriority(string version)
    {
        var m = KubeVersion().Match(version);
        if (!m.Success) return 0;
        var stage = m.Groups["stage"].Value switch { "alpha" => 1, "beta" => 2, _ => 3 };
        var minor = m.Groups["minor"].Success ? int.Parse(m.Groups["minor"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return stage * 1_000_000 + int.Parse(m.Groups["major"].Value, System.Globalization.CultureInfo.InvariantCulture) * 1_000 + minor;
    }

    private static JsonObject VersionEntry(string group, string version) =>
        new() { ["groupVersion"] = $"{group}/{version}", ["version"] = version };

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
