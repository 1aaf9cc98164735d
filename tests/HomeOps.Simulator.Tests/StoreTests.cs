using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.Tests;

/// <summary>The object store's API-server semantics, in process.</summary>
public sealed class StoreTests
{
    private static JsonObject Kustomization(string name) => new()
    {
        ["apiVersion"] = "kustomize.toolkit.fluxcd.io/v1",
        ["kind"] = "Kustomization",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "flux-system" },
        ["spec"] = new JsonObject { ["interval"] = "10m" },
    };

    [Fact]
    public void Create_assigns_uid_creation_time_generation_and_a_global_resource_version()
    {
        var store = new ClusterObjectStore();
        var a = store.Create(Kustomization("a"));
        var b = store.Create(Kustomization("b"));

        Assert.Equal("1", a["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal("2", b["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal(1, a.Generation());
        Assert.True(Guid.TryParse(a["metadata"]!["uid"]!.GetValue<string>(), out _));
        Assert.NotNull(a["metadata"]!["creationTimestamp"]);
        Assert.Equal(2, store.ResourceVersion);
    }

    [Fact]
    public void Generation_moves_on_spec_changes_only()
    {
        var store = new ClusterObjectStore();
        store.Create(Kustomization("a"));

        var labelled = store.Update(Kinds.Kustomization, "flux-system", "a", o => o.Metadata()["labels"] = new JsonObject { ["x"] = "1" });
        var withStatus = store.Update(Kinds.Kustomization, "flux-system", "a", o => o["status"] = new JsonObject { ["observedGeneration"] = 1 });
        var specChanged = store.Update(Kinds.Kustomization, "flux-system", "a", o => o["spec"]!["interval"] = "5m");

        Assert.Equal(1, labelled.Generation());
        Assert.Equal(1, withStatus.Generation());
        Assert.Equal(2, specChanged.Generation());
    }

    [Fact]
    public void Core_nodes_carry_no_generation()
    {
        var store = new ClusterObjectStore();
        var node = store.Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["metadata"] = new JsonObject { ["name"] = "n", ["namespace"] = "ignored" } });
        Assert.Null(node.Generation());
        Assert.Null(node["metadata"]!["namespace"]);
    }

    [Fact]
    public void Unserved_kinds_are_rejected()
    {
        var store = new ClusterObjectStore();
        var error = Assert.Throws<ApiException>(() => store.Create(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["metadata"] = new JsonObject { ["name"] = "rs" } }));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.Code);
    }

    [Fact]
    public void History_expires_the_oldest_versions_first()
    {
        var store = new ClusterObjectStore(historyCapacity: 3);
        for (var i = 0; i < 5; i++) store.Create(Kustomization($"k{i}"));

        Assert.Equal(2, store.OldestResumableVersion);
        Assert.Throws<ApiException>(() => store.List(Kinds.Kustomization, resourceVersion: "1"));
        Assert.Equal(5, store.List(Kinds.Kustomization, resourceVersion: "2").Items.Count);
    }

    [Fact]
    public void Expire_history_makes_every_held_version_too_old()
    {
        var store = new ClusterObjectStore();
        store.Create(Kustomization("a"));
        var held = store.ResourceVersion;

        store.ExpireHistory();

        var error = Assert.Throws<ApiException>(() => store.List(Kinds.Kustomization, resourceVersion: held.ToString()));
        Assert.Equal(System.Net.HttpStatusCode.Gone, error.Code);
        Assert.Equal($"too old resource version: {held} ({store.ResourceVersion})", error.Message);
        Assert.Single(store.List(Kinds.Kustomization, resourceVersion: store.ResourceVersion.ToString()).Items);
    }

    [Fact]
    public void Objects_handed_out_are_copies()
    {
        var store = new ClusterObjectStore();
        var created = store.Create(Kustomization("a"));
        created["spec"]!["interval"] = "1s";
        store.Get(Kinds.Kustomization, "flux-system", "a")!["spec"]!["interval"] = "2s";

        Assert.Equal("10m", store.Get(Kinds.Kustomization, "flux-system", "a")!["spec"]!["interval"]!.GetValue<string>());
    }
}
