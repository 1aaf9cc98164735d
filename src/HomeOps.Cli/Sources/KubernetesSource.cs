using System.Net;
using System.Text.Json;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using k8s;
using k8s.Autorest;

namespace HomeOps.Cli.Sources;

/// <summary>
/// Lists every kind in <see cref="Kinds.Watched"/> from a cluster through KubernetesClient. The served version of
/// each group comes from discovery (BGPv2 kinds are v2alpha1 on Cilium 1.17 and v2 later). A kind that is not
/// served (404) is skipped as "not installed"; a 403 is reported and makes the result incomplete.
/// </summary>
public static class KubernetesSource
{
    public static async Task<SourceResult> ReadAsync(string kubeconfigPath, string? context, DateTimeOffset now, TextWriter notes,
        CancellationToken cancellationToken)
    {
        if (!File.Exists(kubeconfigPath)) throw new BadInputException($"kubeconfig {kubeconfigPath}: file not found");
        KubernetesClientConfiguration config;
        try
        {
            config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath, currentContext: context);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new BadInputException($"kubeconfig {kubeconfigPath}: {e.Message}");
        }

        using var client = new Kubernetes(config);
        try
        {
            var served = await ServedVersionsAsync(client, notes, cancellationToken);
            var snapshots = new List<ResourceSnapshot>();
            var listed = new List<KindInfo>();
            var notInstalled = new List<KindInfo>();
            var incomplete = false;
            foreach (var kind in Kinds.Watched)
            {
                var outcome = await ListAsync(client, kind, served, now, cancellationToken);
                switch (outcome)
                {
                    case Listed read:
                        snapshots.AddRange(read.Snapshots);
                        listed.Add(kind);
                        break;
                    case NotInstalled:
                        notInstalled.Add(kind);
                        notes.WriteLine($"note: {kind.Kind} ({kind.Group}): not installed, skipped");
                        break;
                    case Forbidden forbidden:
                        notes.WriteLine($"error: {kind.Kind} ({kind.ApiVersion}): forbidden: {forbidden.Message}");
                        incomplete = true;
                        break;
                    case Failed failed:
                        notes.WriteLine($"error: {kind.Kind} ({kind.ApiVersion}): {failed.Message}");
                        incomplete = true;
                        break;
                }
            }
            // The slow-burn radar: this kubeconfig's client certificate and the API server's, read while connected.
            var credentials = await HomeOps.Cluster.Sources.Credentials.CredentialReport.ReadClusterAsync(config, inCluster: false,
                string.IsNullOrEmpty(config.CurrentContext) ? Path.GetFileName(kubeconfigPath) : $"context {config.CurrentContext}",
                TimeSpan.FromSeconds(5), now, cancellationToken);
            return new SourceResult(snapshots, incomplete, listed, notInstalled) { Credentials = credentials };
        }
        catch (HttpRequestException e)
        {
            throw new BadInputException($"cannot reach the API server {config.Host}: {e.Message}");
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new BadInputException($"the API server {config.Host} rejected the credentials in {kubeconfigPath} (401)");
        }
    }

    private abstract record Outcome;
    private sealed record Listed(IReadOnlyList<ResourceSnapshot> Snapshots) : Outcome;
    private sealed record NotInstalled : Outcome;
    private sealed record Forbidden(string Message) : Outcome;
    private sealed record Failed(string Message) : Outcome;

    /// <summary>Group → served versions, preferred first; null when discovery is unavailable (then each kind's default is tried).</summary>
    private static async Task<Dictionary<string, List<string>>?> ServedVersionsAsync(Kubernetes client, TextWriter notes, CancellationToken ct)
    {
        try
        {
            var groups = await client.Apis.GetAPIVersionsAsync(ct);
            var map = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var g in groups.Groups ?? [])
            {
                var versions = new List<string>();
                if (g.PreferredVersion?.Version is { } preferred) versions.Add(preferred);
                versions.AddRange((g.Versions ?? []).Select(v => v.Version).Where(v => v is not null && !versions.Contains(v)));
                map[g.Name] = versions;
            }
            return map;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            notes.WriteLine($"note: API discovery unavailable ({(int)e.Response.StatusCode}); trying default versions");
            return null;
        }
    }

    private static async Task<Outcome> ListAsync(Kubernetes client, KindInfo kind, Dictionary<string, List<string>>? served,
        DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            if (!kind.IsKubernetes) return new NotInstalled();
            if (kind.Key == Kinds.Node.Key) return new Listed(await ListNodesAsync(client, kind, now, ct));

            List<string> candidates = [kind.Version];
            if (served is not null && kind.Group.Length > 0)
            {
                if (!served.TryGetValue(kind.Group, out var versions)) return new NotInstalled();
                // The dashboard's order: the kind's preferred versions first (cilium.io v2 before v2alpha1), then the others.
                var preferred = Kinds.PreferredVersions(kind);
                candidates = [.. preferred.Where(versions.Contains), .. versions.Where(v => !preferred.Contains(v))];
            }
            foreach (var version in candidates)
            {
                try
                {
                    using var response = await client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync(
                        kind.Group, version, kind.Plural, cancellationToken: ct);
                    IEnumerable<JsonElement> items = response.Body is JsonElement body && body.Prop("items") is { ValueKind: JsonValueKind.Array } array
                        ? array.EnumerateArray()
                        : [];
                    var at = kind.AtVersion(version);
                    // Only the objects the dashboard tracks (LoadBalancer Services, not every ClusterIP one).
                    return new Listed([.. items.Where(i => ResourceDecoder.IsTracked(at, i)).Select(i => ResourceDecoder.Decode(at, i, now))]);
                }
                catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
                {
                    // Not served at this version; try the next one the group offers.
                }
            }
            return new NotInstalled();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden)
        {
            return new Forbidden(FirstLine(e.Response.Content) ?? e.Message);
        }
        catch (HttpOperationException e) when ((int)e.Response.StatusCode >= 500 || e.Response.StatusCode == HttpStatusCode.Gone)
        {
            return new Failed($"the API server answered {(int)e.Response.StatusCode}: {FirstLine(e.Response.Content) ?? e.Message}");
        }
        catch (JsonException e)
        {
            // The typed Node model could not read the response; report it instead of crashing.
            return new Failed($"unreadable response: {e.Message}");
        }
    }

    private static async Task<IReadOnlyList<ResourceSnapshot>> ListNodesAsync(Kubernetes client, KindInfo kind, DateTimeOffset now, CancellationToken ct)
    {
        using var response = await client.CoreV1.ListNodeWithHttpMessagesAsync(cancellationToken: ct);
        var result = new List<ResourceSnapshot>();
        foreach (var node in response.Body.Items ?? [])
        {
            // Through JSON, so nodes take the same decoder path as every other kind (and as the dashboard's informers).
            using var doc = JsonDocument.Parse(KubernetesJson.Serialize(node));
            result.Add(ResourceDecoder.Decode(kind, doc.RootElement, now));
        }
        return result;
    }

    private static string? FirstLine(string? content)
    {
        if (string.IsNullOrWhiteSpace(content)) return null;
        try
        {
            using var doc = JsonDocument.Parse(content);
            if (doc.RootElement.Prop("message").Str() is { } message) return Terminal.Clean(message);
        }
        catch (JsonException)
        {
        }
        return Terminal.Clean(content.Split('\n')[0]);
    }
}
