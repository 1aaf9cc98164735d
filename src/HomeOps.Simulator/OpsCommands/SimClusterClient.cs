using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>
/// What the stand-ins know of the cluster: objects as JSON, read and changed through the Kubernetes API with JSON
/// merge patches, exactly as an outside tool would (the stand-ins run as separate processes, never in the simulator).
/// </summary>
public sealed class SimClusterClient(IKubernetes client) : IDisposable
{
    /// <summary>
    /// A client for the kubeconfig's current context — only when it points at loopback (the simulator). A stand-in
    /// given a real cluster's kubeconfig (an inherited KUBECONFIG) must refuse, not mark real nodes NotReady.
    /// </summary>
    public static SimClusterClient FromKubeconfig(string path)
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        if (!IsLoopback(config.Host))
            throw new SimulatorOnlyException($"the simulator's stand-in tools act only on a simulator on loopback; the kubeconfig {path} points at {config.Host}");
        return new SimClusterClient(new Kubernetes(config));
    }

    /// <summary>True when <paramref name="server"/> is a loopback address or localhost.</summary>
    public static bool IsLoopback(string? server) =>
        Uri.TryCreate(server, UriKind.Absolute, out var uri)
        && (uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)));

    public IKubernetes Api => client;

    public async Task<JsonObject?> GetAsync(KindInfo kind, string? @namespace, string name, CancellationToken ct = default)
    {
        try
        {
            if (kind.Key == Kinds.Node.Key)
                return ToJson(await client.CoreV1.ReadNodeAsync(name, cancellationToken: ct).ConfigureAwait(false));
            var obj = kind.Namespaced
                ? await client.CustomObjects.GetNamespacedCustomObjectAsync(kind.Group, kind.Version, @namespace ?? "", kind.Plural, name, ct).ConfigureAwait(false)
                : await client.CustomObjects.GetClusterCustomObjectAsync(kind.Group, kind.Version, kind.Plural, name, ct).ConfigureAwait(false);
            return ToJson(obj);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<JsonObject>> ListAsync(KindInfo kind, string? @namespace = null, CancellationToken ct = default)
    {
        try
        {
            object list;
            if (kind.Key == Kinds.Node.Key) list = await client.CoreV1.ListNodeAsync(cancellationToken: ct).ConfigureAwait(false);
            else if (kind.Namespaced && @namespace is not null)
                list = await client.CustomObjects.ListNamespacedCustomObjectAsync(kind.Group, kind.Version, @namespace, kind.Plural, cancellationToken: ct).ConfigureAwait(false);
            else list = await client.CustomObjects.ListClusterCustomObjectAsync(kind.Group, kind.Version, kind.Plural, cancellationToken: ct).ConfigureAwait(false);
            return ToJson(list)?["items"] is JsonArray items ? items.OfType<JsonObject>().ToList() : [];
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return []; // the kind is not installed
        }
    }

    /// <summary>A JSON merge patch of the object, or of its <c>status</c> subresource.</summary>
    public async Task PatchAsync(KindInfo kind, string? @namespace, string name, JsonObject patch, bool status, CancellationToken ct = default)
    {
        var body = new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch);
        if (kind.Key == Kinds.Node.Key)
        {
            if (status) await client.CoreV1.PatchNodeStatusAsync(body, name, cancellationToken: ct).ConfigureAwait(false);
            else await client.CoreV1.PatchNodeAsync(body, name, cancellationToken: ct).ConfigureAwait(false);
            return;
        }
        switch (kind.Namespaced, status)
        {
            case (true, true):
                await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(body, kind.Group, kind.Version, @namespace ?? "", kind.Plural, name, cancellationToken: ct).ConfigureAwait(false);
                break;
            case (true, false):
                await client.CustomObjects.PatchNamespacedCustomObjectAsync(body, kind.Group, kind.Version, @namespace ?? "", kind.Plural, name, cancellationToken: ct).ConfigureAwait(false);
                break;
            case (false, true):
                await client.CustomObjects.PatchClusterCustomObjectStatusAsync(body, kind.Group, kind.Version, kind.Plural, name, cancellationToken: ct).ConfigureAwait(false);
                break;
            default:
                await client.CustomObjects.PatchClusterCustomObjectAsync(body, kind.Group, kind.Version, kind.Plural, name, cancellationToken: ct).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Read, change a copy, and merge-patch the changed <c>status</c> back (lists such as conditions are replaced whole).</summary>
    public async Task<bool> UpdateStatusAsync(KindInfo kind, string? @namespace, string name, Action<JsonObject> mutateStatus, CancellationToken ct = default)
    {
        var obj = await GetAsync(kind, @namespace, name, ct).ConfigureAwait(false);
        if (obj is null) return false;
        var status = obj["status"] as JsonObject ?? new JsonObject();
        var copy = (JsonObject)status.DeepClone();
        mutateStatus(copy);
        await PatchAsync(kind, @namespace, name, new JsonObject { ["status"] = copy }, status: true, ct).ConfigureAwait(false);
        return true;
    }

    public void Dispose() => client.Dispose();

    private static JsonObject? ToJson(object? value) => value switch
    {
        null => null,
        JsonElement e => JsonNode.Parse(e.GetRawText()) as JsonObject,
        _ => JsonNode.Parse(KubernetesJson.Serialize(value)) as JsonObject,
    };
}

/// <summary>A stand-in was pointed at something that is not the simulator.</summary>
public sealed class SimulatorOnlyException(string message) : Exception(message);
