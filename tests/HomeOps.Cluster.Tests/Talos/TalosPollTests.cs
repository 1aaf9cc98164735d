using System.Collections.Immutable;
using System.Text.Json;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Talos;
using HomeOps.Cluster.Tests.Health;
using Microsoft.Extensions.Time.Testing;

namespace HomeOps.Cluster.Tests.Talos;

/// <summary>
/// Issue 15: one poll of the Talos feed over three control-plane nodes, answered with the real captures
/// (etcd status/members/alarms for 172.20.0.2–4, services and version re-addressed to those nodes), and the verdicts
/// it gives: healthy, an etcd member not answering, a node Talos cannot reach (since when), maintenance mode read
/// from Talos, Talos running while Kubernetes says NotReady, talosctl failing as a whole.
/// </summary>
public sealed class TalosPollTests
{
    private static readonly string[] Ips = ["172.20.0.2", "172.20.0.3", "172.20.0.4"];
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));

    private static IReadOnlyList<TalosTarget> Targets(string? notReady = null) =>
        [.. Ips.Select((ip, i) => new TalosTarget(ip, $"talos-default-controlplane-{i + 1}", ip == notReady ? "False" : "True", "6.6.30-talos"))];

    /// <summary>A talosctl that answers from a table of outputs by argument line; anything else is an unknown command.</summary>
    private sealed class FakeTalosctl : ITalosctl
    {
        public readonly Dictionary<string, TalosctlResult> Answers = new(StringComparer.Ordinal);
        public readonly List<string> Asked = [];

        public Task<TalosctlResult> RunAsync(IReadOnlyList<string> args, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var line = string.Join(' ', args);
            lock (Asked) Asked.Add(line);
            return Task.FromResult(Answers.GetValueOrDefault(line) ?? new TalosctlResult("", $"Error: unknown command \"{line}\"", 1));
        }
    }

    /// <summary>Healthy answers for the three nodes, built from the fixtures.</summary>
    private static FakeTalosctl Healthy()
    {
        var all = string.Join(',', Ips);
        var f = new FakeTalosctl();
        var version = TalosOutputsTests.Stdout("talosctl-version-3nodes-hcloud51.json")
            .Replace("10.4.64.1", "172.20.0.2").Replace("10.4.64.2", "172.20.0.3").Replace("10.4.64.3", "172.20.0.4");
        f.Answers[$"version --nodes {all}"] = new(version, "", 0);
        // No real capture of `get machinestatus` exists (SOURCES.md): the table shape of talosctl get, stage "running".
        f.Answers[$"get machinestatus --nodes {all}"] = new(
            "NODE         NAMESPACE   TYPE            ID        VERSION   STAGE     READY\n"
            + string.Concat(Ips.Select(ip => $"{ip,-13}runtime     MachineStatus   machine   5         running   true\n")), "", 0);
        // The real services capture is of a node whose etcd and kubelet were still Preparing; healthy here.
        var services = TalosOutputs.Services(TalosOutputsTests.Stdout("talosctl-services-etcd-preparing-talos12214.json"), out _);
        var header = TalosOutputsTests.Stdout("talosctl-services-etcd-preparing-talos12214.json").Split('\n')[0];
        f.Answers[$"services --nodes {all}"] = new(header + "\n" + string.Concat(Ips.SelectMany(ip => services.Select(s =>
            $"{ip,-11}{s.Id,-13}{"Running",-12}{"OK",-9}{"14m30s ago",-14}Health check successful\n"))), "", 0);
        f.Answers[$"etcd status --nodes {all}"] = new(TalosOutputsTests.Stdout("talosctl-etcd-status-docs.json"), "", 0);
        f.Answers[$"etcd alarm list --nodes {all}"] = new("NODE         MEMBER             ALARM\n", "", 0);
        f.Answers["etcd members --nodes 172.20.0.4"] = new(TalosOutputsTests.Stdout("talosctl-etcd-members-synth.json"), "", 0);
        return f;
    }

    private Task<TalosReport> Poll(ITalosctl talosctl, TalosReport? previous = null, IReadOnlyList<TalosTarget>? targets = null) =>
        TalosPoll.RunAsync(talosctl, targets ?? Targets(), previous ?? TalosReport.Connecting(_time.GetUtcNow()), _time, Timeout, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Three_healthy_members_give_quorum_a_leader_db_sizes_and_healthy_nodes()
    {
        var report = await Poll(Healthy());
        Assert.True(report.IsLive);
        Assert.Equal(HealthStatus.Healthy, report.Verdict.Health);
        Assert.All(report.Nodes, n => Assert.Equal(HealthStatus.Healthy, n.Verdict.Health));
        Assert.All(report.Nodes, n => Assert.Equal(("running", "v1.9.1", true), (n.Stage, n.TalosVersion, n.Reachable)));
        var etcd = report.Etcd!;
        Assert.Equal("a49c021e76e707db", etcd.Leader);
        Assert.Equal(["3.6 MB", "3.5 MB", "3.5 MB"], etcd.Status.Select(s => s.DbSize));
        Assert.True(etcd.Quorum.HasQuorum);
        Assert.Equal((3, 3, 2), (etcd.Quorum.Voters, etcd.Quorum.Healthy, etcd.Quorum.Needed));
        Assert.Equal(etcd.Quorum, report.UsableQuorum(out _));
        Assert.StartsWith("etcd: quorum — 3/3 voting members healthy (needs 2), leader a49c021e76e707db", report.EtcdLine(_time.GetUtcNow()));
    }

    [Fact]
    public async Task A_member_that_does_not_answer_etcd_status_is_counted_unhealthy_and_an_alarm_too()
    {
        var f = Healthy();
        var all = string.Join(',', Ips);
        var status = f.Answers[$"etcd status --nodes {all}"].Stdout;
        f.Answers[$"etcd status --nodes {all}"] = new(string.Join('\n', status.Split('\n').Where(l => !l.StartsWith("172.20.0.3", StringComparison.Ordinal))),
            "error getting status: 1 error occurred:\n\t* 172.20.0.3: rpc error: code = Unavailable desc = etcd is not running on this node\n", 1);
        f.Answers[$"etcd alarm list --nodes {all}"] = new(TalosOutputsTests.Stdout("talosctl-etcd-alarm-nospace-docs.json"), "", 0);

        var report = await Poll(f);
        var q = report.Etcd!.Quorum;
        // .3 did not answer, .2 (a49c…) has NOSPACE: one healthy voter of three — quorum lost.
        Assert.Equal((3, 1), (q.Voters, q.Healthy));
        Assert.False(q.HasQuorum);
        Assert.Contains("not healthy: talos-default-controlplane-1, talos-default-controlplane-2", q.Message);
        Assert.Equal(HealthStatus.Failed, report.Verdict.Health);
        Assert.Contains("NO QUORUM", report.EtcdLine(_time.GetUtcNow()));
        Assert.Contains("NOSPACE on a49c021e76e707db", report.EtcdLine(_time.GetUtcNow()));
    }

    [Fact]
    public async Task A_node_talos_cannot_reach_is_failed_and_says_since_when_across_polls()
    {
        var f = Healthy();
        var all = string.Join(',', Ips);
        var refused = "error getting version: 1 error occurred:\n\t* 172.20.0.4: rpc error: code = Unavailable desc = connection refused\n";
        f.Answers[$"version --nodes {all}"] = f.Answers[$"version --nodes {all}"] with
        {
            Stdout = f.Answers[$"version --nodes {all}"].Stdout.Split("\tNODE:        172.20.0.4")[0],
            Stderr = refused,
            ExitCode = 1,
        };
        f.Answers[$"get machinestatus --nodes {all}"] = f.Answers[$"get machinestatus --nodes {all}"] with
        {
            Stdout = string.Join('\n', f.Answers[$"get machinestatus --nodes {all}"].Stdout.Split('\n').Where(l => !l.StartsWith("172.20.0.4", StringComparison.Ordinal))),
            Stderr = refused.Replace("version", "resources"),
        };
        var first = await Poll(f);
        var down = first.Nodes.Single(n => n.Ip == "172.20.0.4");
        Assert.False(down.Reachable);
        Assert.Equal(HealthStatus.Failed, down.Verdict.Health);
        Assert.Contains("Talos API (apid) unreachable since", down.Verdict.Message);
        Assert.Contains("(Kubernetes still reports it Ready)", down.Verdict.Message);
        Assert.Contains("get machinestatus --insecure --nodes 172.20.0.4", f.Asked);
        var since = down.UnreachableSince;

        _time.Advance(TimeSpan.FromMinutes(2));
        var second = await Poll(f, first);
        var still = second.Nodes.Single(n => n.Ip == "172.20.0.4");
        Assert.Equal(since, still.UnreachableSince);
        Assert.Contains("unreachable since 2 min ago", still.Verdict.Message);
        // The cluster stays live for the nodes that answer; one node down is Degraded, not Failed.
        Assert.True(second.IsLive);
        Assert.Equal(HealthStatus.Degraded, second.Verdict.Health);
    }

    [Fact]
    public async Task Maintenance_mode_is_read_from_the_insecure_api_after_a_reset()
    {
        var f = Healthy();
        var all = string.Join(',', Ips);
        var refused = "\t* 172.20.0.4: rpc error: code = Unavailable desc = tls: certificate required\n";
        f.Answers[$"version --nodes {all}"] = new(f.Answers[$"version --nodes {all}"].Stdout.Split("\tNODE:        172.20.0.4")[0], refused, 1);
        f.Answers[$"get machinestatus --nodes {all}"] = new(string.Join('\n', f.Answers[$"get machinestatus --nodes {all}"].Stdout.Split('\n').Where(l => !l.StartsWith("172.20.0.4", StringComparison.Ordinal))), refused, 1);
        f.Answers["get machinestatus --insecure --nodes 172.20.0.4"] = new(
            "NODE         NAMESPACE   TYPE            ID        VERSION   STAGE         READY\n172.20.0.4   runtime     MachineStatus   machine   2         maintenance   false\n", "", 0);

        var report = await Poll(f);
        var node = report.Nodes.Single(n => n.Ip == "172.20.0.4");
        Assert.True(node.InMaintenance);
        Assert.Equal(HealthStatus.Degraded, node.Verdict.Health);
        Assert.Contains("maintenance mode (read from Talos)", node.Verdict.Message);
    }

    [Fact]
    public async Task Talos_running_while_kubernetes_says_not_ready_is_shown_as_such_from_the_real_node_object()
    {
        // The real-shaped NotReady Talos node (fixtures/talos-node): its Ready=False and kernel come from Kubernetes.
        var node = NodeHealth.Decode(Kinds.Node, JsonDocument.Parse(File.ReadAllText(Fixtures.PathOf("talos-node/node-notready-runtime-down-talos-v1.9.0-synth.json"))).RootElement);
        var details = Assert.IsType<NodeDetails>(node.Details);
        var targets = Targets().Select(t => t.Ip == "172.20.0.3" ? t with { KubernetesReady = details.ReadyStatus, KernelVersion = details.KernelVersion } : t).ToList();

        var report = await Poll(Healthy(), targets: targets);
        var n = report.Nodes.Single(x => x.Ip == "172.20.0.3");
        Assert.Equal(HealthStatus.Degraded, n.Verdict.Health);
        Assert.Equal("KubernetesNotReady", n.Verdict.Reason);
        Assert.Contains("Talos running, services healthy, but Kubernetes NotReady (Ready=False)", n.Verdict.Message);
        Assert.Equal("6.12.5-talos", n.KernelVersion);
    }

    [Fact]
    public async Task Talosctl_failing_as_a_whole_keeps_the_last_data_marked_unreachable_never_live()
    {
        var good = await Poll(Healthy());
        _time.Advance(TimeSpan.FromSeconds(30));
        var dead = new FakeTalosctl();
        dead.Answers[$"version --nodes {string.Join(',', Ips)}"] = new("", "", null, "talosctl version did not answer within 15 s");
        var bad = await Poll(dead, good);
        Assert.False(bad.IsLive);
        Assert.Equal(FeedState.Reconnecting, bad.Freshness.State);
        Assert.All(bad.Nodes, n => Assert.False(n.Reachable));
        // The feed failed, not the nodes: each node is Unknown ("not read"), never Failed.
        Assert.All(bad.Nodes, n => Assert.Equal((HealthStatus.Unknown, "TalosFeedUnreachable"), (n.Verdict.Health, n.Verdict.Reason)));
        Assert.Null(bad.UsableQuorum(out var why));
        Assert.Contains("unreachable since", why);
        Assert.Contains("[stale: API unreachable since", bad.EtcdLine(_time.GetUtcNow()));
        // Only version was asked: a dead talosctl is not hammered with the other commands.
        Assert.Equal(["version --nodes 172.20.0.2,172.20.0.3,172.20.0.4"], dead.Asked);
    }

    [Fact]
    public async Task Malformed_answers_are_named_in_the_verdict_and_do_not_crash_the_poll()
    {
        var f = Healthy();
        var all = string.Join(',', Ips);
        f.Answers[$"services --nodes {all}"] = new("<html>502 Bad Gateway</html>\n", "", 0);
        f.Answers["etcd members --nodes 172.20.0.4"] = new("", "", null, "talosctl etcd members did not answer within 15 s");
        var report = await Poll(f);
        Assert.True(report.IsLive);
        Assert.Contains("talosctl services: not the expected talosctl table", report.Verdict.Message);
        Assert.False(report.Etcd!.Quorum.Known);
        Assert.Contains("etcd members could not be read from 172.20.0.4: talosctl etcd members did not answer within 15 s", report.Etcd.Quorum.Message);
        Assert.Null(report.UsableQuorum(out var why));
        Assert.Contains("did not answer", why);
        Assert.All(report.Nodes, n => Assert.Contains("not listed", n.Verdict.Message));
    }

    [Fact]
    public void Not_configured_says_why_and_is_never_usable_for_decisions()
    {
        var report = TalosReport.NotConfigured("Talos:Enabled is false", _time.GetUtcNow());
        Assert.Null(report.UsableQuorum(out var why));
        Assert.Equal("the Talos feed is not configured (Talos:Enabled is false)", why);
        Assert.Equal("etcd: unknown — Talos:Enabled is false", report.EtcdLine(_time.GetUtcNow()));
        Assert.Equal(ImmutableArray<TalosNode>.Empty, report.Nodes);
    }
}
