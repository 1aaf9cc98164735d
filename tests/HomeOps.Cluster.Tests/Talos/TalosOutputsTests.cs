using System.Text.Json.Nodes;
using HomeOps.Cluster.Talos;
using HomeOps.Cluster.Tests.Health;

namespace HomeOps.Cluster.Tests.Talos;

/// <summary>
/// Issue 15: the talosctl outputs the Talos feed reads, parsed from the real captures in fixtures/talos-cli (see
/// SOURCES.md), and what malformed or partial output gives: a clear problem, never an exception.
/// </summary>
public sealed class TalosOutputsTests
{
    internal static string Stdout(string fixture) =>
        JsonNode.Parse(File.ReadAllText(Fixtures.PathOf($"talos-cli/{fixture}")))!["stdout"]!.GetValue<string>();

    [Fact]
    public void Services_are_read_by_column_from_the_real_truncated_capture()
    {
        var services = TalosOutputs.Services(Stdout("talosctl-services-etcd-preparing-talos12214.json"), out var problem);
        Assert.Null(problem);
        Assert.Equal(["apid", "containerd", "cri", "etcd", "kubelet", "machined", "trustd"], services.Select(s => s.Id));
        Assert.All(services, s => Assert.Equal("10.5.0.2", s.Node));
        var etcd = services.Single(s => s.Id == "etcd");
        Assert.Equal(("Preparing", "?", "Running pre state"), (etcd.State, etcd.Health, etcd.LastEvent));
        Assert.False(etcd.Healthy);
        Assert.True(services.Single(s => s.Id == "apid").Healthy);
        // The capture is cut mid-row ("Health check successful" → "H"): the row is still read by position.
        Assert.Equal(("Running", "OK", "H"), (services[^1].State, services[^1].Health, services[^1].LastEvent));
    }

    [Fact]
    public void One_service_in_key_value_form_is_read_with_its_health_message()
    {
        var kubelet = TalosOutputs.Service(Stdout("talosctl-service-kubelet-healthfail-talos10584.json"), out var problem);
        Assert.Null(problem);
        Assert.Equal(("kw3", "kubelet", "Running", "Fail"), (kubelet!.Node, kubelet.Id, kubelet.State, kubelet.Health));
        Assert.Equal("Get \"http://127.0.0.1:10248/healthz\": context deadline exceeded", kubelet.LastEvent);
        Assert.False(kubelet.Healthy);
        Assert.Contains("health Fail", kubelet.Describe);

        var etcd = TalosOutputs.Service(Stdout("talosctl-service-etcd-preparing-docs.json"), out _);
        Assert.Equal(("etcd", "Preparing", "?", "Running pre state (17s ago)"), (etcd!.Id, etcd.State, etcd.Health, etcd.LastEvent));
    }

    [Fact]
    public void Versions_are_read_per_node_from_the_real_three_node_output()
    {
        var tags = TalosOutputs.Versions(Stdout("talosctl-version-3nodes-hcloud51.json"), null, out var problem);
        Assert.Null(problem);
        Assert.Equal(["10.4.64.1", "10.4.64.2", "10.4.64.3"], tags.Keys.Order());
        Assert.All(tags.Values, t => Assert.Equal("v1.9.1", t));
    }

    [Fact]
    public void Etcd_members_and_alarms_are_read_from_their_tables()
    {
        var members = TalosOutputs.Members(Stdout("talosctl-etcd-members-synth.json"), out var problem);
        Assert.Null(problem);
        Assert.Equal(["talos-default-controlplane-1", "talos-default-controlplane-2", "talos-default-controlplane-3"], members.Select(m => m.Hostname));
        Assert.Equal("a49c021e76e707db", members[0].Id);
        Assert.Equal("https://172.20.0.2:2380", members[0].PeerUrls);
        Assert.All(members, m => Assert.False(m.Learner));

        var alarms = TalosOutputs.Alarms(Stdout("talosctl-etcd-alarm-nospace-docs.json"), out var p2);
        Assert.Null(p2);
        Assert.Equal(new EtcdAlarm("172.20.0.2", "a49c021e76e707db", "NOSPACE"), Assert.Single(alarms));
    }

    [Fact]
    public void A_get_table_with_several_nodes_and_a_cut_last_row_is_read_without_shifting_cells()
    {
        var rows = TalosTable.Parse(Stdout("talosctl-get-members-talos9145.json"), ["NODE", "ID", "HOSTNAME", "MACHINE TYPE"], ["OS", "ADDRESSES"], out var problem);
        Assert.Null(problem);
        Assert.Equal(8, rows.Length);
        Assert.Equal(("192.168.50.51", "talos-worker-node-1", "worker"), (rows[^1]["NODE"], rows[^1]["ID"], rows[^1]["MACHINE TYPE"]));
        Assert.Equal("Talos (v1.7.6)", rows[0]["OS"]);
    }

    [Fact]
    public void Malformed_or_foreign_output_gives_a_problem_not_an_exception()
    {
        // talosctl health's progress text is not a services table.
        var services = TalosOutputs.Services(Stdout("talosctl-health-etcd-fail-clustertemplate1500.json"), out var problem);
        Assert.Empty(services);
        Assert.Contains("not the expected talosctl table", problem);

        Assert.Empty(TalosOutputs.Services("", out var none));
        Assert.Null(none);

        Assert.Null(TalosOutputs.Service("random words\n", out var p2));
        Assert.Contains("no ID and STATE", p2);

        Assert.Empty(TalosOutputs.Versions("error: failed to determine endpoints", null, out var p3));
        Assert.Contains("not talosctl version output", p3);

        // A header with nothing under it, a row shorter than the header, binary junk: no exception.
        Assert.Empty(TalosOutputs.MachineStatus("NODE   NAMESPACE   TYPE   ID   VERSION   STAGE   READY\n", out var p4));
        Assert.Null(p4);
        var shortRow = TalosOutputs.MachineStatus("NODE         NAMESPACE   TYPE            ID        VERSION   STAGE     READY\n172.20.0.2   runtime", out _);
        Assert.Equal(("172.20.0.2", "", false), Assert.Single(shortRow));
        Assert.Empty(TalosOutputs.Members("\u0000\u0001\u0002", out var p5));
        Assert.NotNull(p5);
    }

    [Fact]
    public void Per_node_errors_are_read_from_talosctls_multierror()
    {
        var errors = TalosTable.NodeErrors(
            "error getting version: 2 errors occurred:\n\t* 172.29.51.12: rpc error: code = Unavailable desc = connection refused\n\t* 172.29.51.13: rpc error: code = Unavailable desc = the node is in maintenance mode: use --insecure\n");
        Assert.Equal(2, errors.Count);
        Assert.Equal("rpc error: code = Unavailable desc = connection refused", errors["172.29.51.12"]);
        Assert.Contains("maintenance mode", errors["172.29.51.13"]);
    }
}
