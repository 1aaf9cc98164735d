using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Scenarios;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>
/// The secrets pipeline as the phases move it: a full reset takes the <c>onepassword-connect</c> ClusterSecretStore and
/// every ExternalSecret down (etcd is gone); phase 4 (External Secrets + 1Password Connect + secret-store.yaml) brings
/// the store back Ready and the ExternalSecrets sync again.
/// </summary>
public sealed class SimSecrets(SimClusterClient cluster)
{
    public const string StoreName = "onepassword-connect";

    public async Task SetAsync(bool up, CancellationToken ct = default)
    {
        var now = ObjectJson.Timestamp(DateTimeOffset.UtcNow);
        await cluster.UpdateStatusAsync(Kinds.ClusterSecretStore, null, StoreName, s => Set(s, up
            ? ("True", "Valid", "store validated")
            : ("False", "ValidationFailed", "unable to validate store: 1Password Connect is not running (cluster reset)"), now), ct).ConfigureAwait(false);
        foreach (var es in await cluster.ListAsync(Kinds.ExternalSecret, ct: ct).ConfigureAwait(false))
            await cluster.UpdateStatusAsync(Kinds.ExternalSecret, es.Namespace(), es.Name(), s =>
            {
                Set(s, up ? ("True", "SecretSynced", "secret synced") : ("False", "SecretSyncedError", "could not get ClusterSecretStore \"onepassword-connect\": store is not ready"), now);
                if (up) s["refreshTime"] = now;
            }, ct).ConfigureAwait(false);
    }

    public async Task<bool> StoreReadyAsync(CancellationToken ct = default) =>
        (await cluster.GetAsync(Kinds.ClusterSecretStore, null, StoreName, ct).ConfigureAwait(false))?.Condition("Ready").String("status") == "True";

    private static void Set(JsonObject status, (string Status, string Reason, string Message) c, string now)
    {
        var wrapper = new JsonObject { ["status"] = status.DeepClone() };
        Conditions.Set(wrapper, "Ready", c.Status, c.Reason, c.Message, now);
        status["conditions"] = ((JsonObject)wrapper["status"]!)["conditions"]!.DeepClone();
    }
}
