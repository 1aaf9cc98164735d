using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Seed;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.Scenarios;

/// <summary>
/// 1Password Connect rejects its credentials (cluster brief §9 row 2, "credentials file is not version 2"): the
/// <c>onepassword-connect</c> ClusterSecretStore goes Ready=False ValidationFailed and every ExternalSecret that reads
/// from it fails to sync (SecretSyncedError). Recovery validates the store and re-syncs the secrets.
/// </summary>
internal sealed class SecretStoreFailsScenario : IScenario
{
    public const string StoreMessage = "unable to validate store: credentials file is not version 2";
    public const string SyncMessage = "could not get secret data from provider";

    public string Name => "secret-store-fails";

    public bool IsApplicable(ScenarioContext context) => context.Exists(Kinds.ClusterSecretStore, null, SecretsSeed.StoreName);

    public IReadOnlyList<ObjectRef> Trigger(ScenarioContext context)
    {
        var now = context.Timestamp;
        context.Cluster.Update(Kinds.ClusterSecretStore, null, SecretsSeed.StoreName,
            store => Conditions.Set(store, "Ready", "False", "ValidationFailed", StoreMessage, now));
        var touched = new List<ObjectRef> { new(Kinds.ClusterSecretStore, null, SecretsSeed.StoreName) };
        foreach (var (ns, name) in Dependents(context))
        {
            context.Cluster.Update(Kinds.ExternalSecret, ns, name,
                secret => Conditions.Set(secret, "Ready", "False", "SecretSyncedError", SyncMessage, now));
            touched.Add(new ObjectRef(Kinds.ExternalSecret, ns, name));
        }
        return touched;
    }

    public IReadOnlyList<ObjectRef> Recover(ScenarioContext context)
    {
        var now = context.Timestamp;
        context.Cluster.Update(Kinds.ClusterSecretStore, null, SecretsSeed.StoreName,
            store => Conditions.Set(store, "Ready", "True", "Valid", "store validated", now));
        var touched = new List<ObjectRef> { new(Kinds.ClusterSecretStore, null, SecretsSeed.StoreName) };
        foreach (var (ns, name) in Dependents(context))
        {
            context.Cluster.Update(Kinds.ExternalSecret, ns, name, secret =>
            {
                Conditions.Set(secret, "Ready", "True", "SecretSynced", "secret synced", now);
                if (secret["status"] is JsonObject status)
                {
                    status["refreshTime"] = now;
                    status["syncedResourceVersion"] = "1-" + SeedIds.Hex($"eso/{ns}/{name}/{now}", 32);
                }
            });
            touched.Add(new ObjectRef(Kinds.ExternalSecret, ns, name));
        }
        return touched;
    }

    /// <summary>The ExternalSecrets that read from the onepassword-connect store.</summary>
    private static IEnumerable<(string Namespace, string Name)> Dependents(ScenarioContext context) =>
        context.Cluster.List(Kinds.ExternalSecret).Items
            .Where(e => e["spec"]?["secretStoreRef"] is JsonObject r && r.String("name") == SecretsSeed.StoreName)
            .Select(e => (e.Namespace(), e.Name()))
            .ToList();
}
