using System.Text.Json.Nodes;
using HomeOps.Cluster.Health;

namespace HomeOps.Cluster.Tests.Health;

/// <summary>
/// Issue 13 i: etcd health as Talos reports it, read from the real <c>talosctl etcd status</c> output (fixture), and
/// the ways it is not healthy: a node that did not answer, a learner, an alarm, leaders that disagree.
/// </summary>
public sealed class EtcdStatusTableTests
{
    private static readonly string[] FixtureNodes = ["172.20.0.2", "172.20.0.3", "172.20.0.4"];

    private static string Stdout() =>
        JsonNode.Parse(File.ReadAllText(Fixtures.PathOf("talos-cli/talosctl-etcd-status-docs.json")))!["stdout"]!.GetValue<string>();

    [Fact]
    public void The_real_output_of_three_healthy_members_is_healthy_and_read_by_column()
    {
        var health = EtcdStatusTable.Evaluate(Stdout(), "", 0, FixtureNodes);
        Assert.True(health.Healthy, health.Message);
        Assert.Equal(3, health.Members.Length);
        var first = health.Members[0];
        Assert.Equal(("172.20.0.4", "a2b8a1f794bdd561", "a49c021e76e707db", 4703L, 2L, false, ""),
            (first.Node, first.Member, first.Leader, first.RaftIndex, first.RaftTerm, first.Learner, first.Errors));
        Assert.Contains("leader a49c021e76e707db", health.Message);
    }

    [Fact]
    public void A_node_that_does_not_answer_is_not_healthy_and_its_error_is_named()
    {
        var lines = Stdout().Split('\n').Where(l => !l.StartsWith("172.20.0.3", StringComparison.Ordinal));
        var stderr = "error getting status: 1 error occurred:\n\t* 172.20.0.3: rpc error: code = Unavailable desc = etcd is not running on this node\n";
        var health = EtcdStatusTable.Evaluate(string.Join('\n', lines), stderr, 1, FixtureNodes);
        Assert.False(health.Healthy);
        Assert.Contains("172.20.0.3 did not answer (rpc error: code = Unavailable desc = etcd is not running on this node)", health.Message);

        // Nothing at all (the talosconfig is wrong, every node refused): not healthy, with the tool's first error line.
        var none = EtcdStatusTable.Evaluate("", "error: failed to determine endpoints\n", 1, FixtureNodes);
        Assert.False(none.Healthy);
        Assert.Contains("failed to determine endpoints", none.Message);
    }

    [Fact]
    public void A_learner_an_alarm_and_disagreeing_leaders_are_each_unhealthy()
    {
        var text = Stdout();
        var row = text.Split('\n')[1];
        Assert.False(EtcdStatusTable.Evaluate(text.Replace(row, row.Replace("false  ", "true   ")), "", 0, FixtureNodes).Healthy);

        // ERRORS is the last column: an alarm shows there.
        var errorsAt = text.Split('\n')[0].IndexOf("ERRORS", StringComparison.Ordinal);
        var alarmed = EtcdStatusTable.Evaluate(text.Replace(row, row.PadRight(errorsAt) + "etcdserver: mvcc: database space exceeded"), "", 0, FixtureNodes);
        Assert.False(alarmed.Healthy);
        Assert.Contains("database space exceeded", alarmed.Message);

        var split = EtcdStatusTable.Evaluate(text.Replace(row, row.Replace("a49c021e76e707db", "912415ee6ed360c4")), "", 0, FixtureNodes);
        Assert.False(split.Healthy);
        Assert.Contains("disagree on the leader", split.Message);
    }

    [Fact]
    public void Output_that_is_not_the_table_is_never_healthy()
    {
        var health = EtcdStatusTable.Evaluate("NODE  ID  HOSTNAME\n172.20.0.2  a49c021e76e707db  cp-1\n", "", 0, FixtureNodes);
        Assert.False(health.Healthy);
        Assert.Contains("not talosctl etcd status's table", health.Message);
    }
}
