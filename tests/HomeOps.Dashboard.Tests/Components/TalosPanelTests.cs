using Bunit;
using HomeOps.Cluster.State;
using HomeOps.Cluster.Talos;
using HomeOps.Dashboard.Components.Controls;
using HomeOps.Dashboard.Components.Controls.Tiles;
using HomeOps.Dashboard.Components.Pages;
using HomeOps.Dashboard.Tests.TestData;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace HomeOps.Dashboard.Tests.Components;

/// <summary>
/// A talosctl answering for mini01–03 (172.29.51.11–13) in the real tables' shapes, each node up, down (apid refuses)
/// or in maintenance mode (only the insecure API answers).
/// </summary>
public sealed class FakeTalos : ITalosctl
{
    public readonly Dictionary<string, string> States = new(StringComparer.Ordinal) { ["172.29.51.11"] = "up", ["172.29.51.12"] = "up", ["172.29.51.13"] = "up" };

    private static string Name(string ip) => "mini0" + ip[^1];

    private static string Id(string ip) => "a49c021e76e707d" + ip[^1];

    private static string Table(string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = header.Select((_, i) => all.Max(r => r[i].Length) + 3).ToArray();
        return string.Concat(all.Select(r => string.Concat(r.Select((c, i) => c.PadRight(widths[i]))).TrimEnd() + "\n"));
    }

    public Task<TalosctlResult> RunAsync(IReadOnlyList<string> args, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var nodes = args[^1].Split(',');
        var insecure = args.Contains("--insecure");
        var up = nodes.Where(ip => States[ip] == (insecure ? "maintenance" : "up")).ToList();
        var members = States.Keys.Where(ip => States[ip] != "maintenance").ToList();
        var stderr = string.Concat(nodes.Except(up).Select(ip => $"\t* {ip}: rpc error: code = Unavailable desc = connection refused\n"));
        var stdout = string.Join(' ', args.TakeWhile(a => !a.StartsWith('-'))) switch
        {
            "version" => "Client:\n\tTag:         v1.10.5\nServer:\n" + string.Concat(up.Select(ip => $"\tNODE:        {ip}\n\tTag:         v1.10.5\n")),
            "get machinestatus" => Table(["NODE", "NAMESPACE", "TYPE", "ID", "VERSION", "STAGE", "READY"],
                up.Select(ip => new[] { ip, "runtime", "MachineStatus", "machine", "5", insecure ? "maintenance" : "running", insecure ? "false" : "true" })),
            "services" => Table(["NODE", "SERVICE", "STATE", "HEALTH", "LAST CHANGE", "LAST EVENT"],
                up.SelectMany(ip => TalosPoll.WatchedServices.Select(s => new[] { ip, s, "Running", "OK", "1m ago", "Health check successful" }))),
            "etcd status" => Table(["NODE", "MEMBER", "DB SIZE", "IN USE", "LEADER", "RAFT INDEX", "RAFT TERM", "RAFT APPLIED INDEX", "LEARNER", "ERRORS"],
                up.Select(ip => new[] { ip, Id(ip), "21 MB", "12 MB (57.14%)", Id(up[0]), "4703", "2", "4703", "false", "" })),
            "etcd alarm list" => "NODE   MEMBER   ALARM\n",
            "etcd members" => Table(["NODE", "ID", "HOSTNAME", "PEER URLS", "CLIENT URLS", "LEARNER"],
                members.Select(ip => new[] { nodes[0], Id(ip), Name(ip), $"https://{ip}:2380", $"https://{ip}:2379", "false" })),
            var other => throw new InvalidOperationException($"unexpected talosctl {other}"),
        };
        return Task.FromResult(new TalosctlResult(stdout, stderr, stderr.Length > 0 ? 1 : 0));
    }
}

/// <summary>
/// Issue 15: the Nodes page and the overview tile show the Talos feed's verdicts — Talos running but Kubernetes
/// NotReady, a node Talos cannot reach (since when), maintenance mode read from Talos, the etcd line — and follow
/// each poll live.
/// </summary>
public sealed class TalosPanelTests() : DashboardTestContext(services: s =>
{
    s.AddSingleton<FakeTalos>();
    s.AddSingleton(sp => new TalosFeed(sp.GetRequiredService<FakeTalos>(), sp.GetRequiredService<ClusterStore>(), new TalosOptions(), TimeProvider.System,
        NullLogger<TalosFeed>.Instance));
})
{
    private FakeTalos Talos => Services.GetRequiredService<FakeTalos>();

    private Task<TalosReport> PollAsync() => Services.GetRequiredService<TalosFeed>().PollOnceAsync(Xunit.TestContext.Current.CancellationToken);

    [Fact]
    public async Task Talos_running_but_not_ready_and_unreachable_nodes_are_each_shown_as_such_on_the_nodes_page()
    {
        UseCluster(new ClusterFixture().With(Snap.Node("mini01"), Snap.Node("mini02", "False"), Snap.Node("mini03")));
        Talos.States["172.29.51.13"] = "down";
        await PollAsync();

        var cut = Render<Nodes>();
        var mini02 = cut.Find("[data-testid=talos-row-mini02]");
        Assert.Equal("Degraded", mini02.GetAttribute("data-health"));
        Assert.Contains("Talos running, services healthy, but Kubernetes NotReady (Ready=False)", mini02.InnerHtml);
        var mini03 = cut.Find("[data-testid=talos-row-mini03]");
        Assert.Equal("Failed", mini03.GetAttribute("data-health"));
        Assert.Matches(@"unreachable since \d+ s: rpc error: code = Unavailable desc = connection refused", mini03.TextContent);
        Assert.Contains("(last known)", mini03.TextContent);
        Assert.Equal("Healthy", cut.Find("[data-testid=talos-row-mini01]").GetAttribute("data-health"));
        Assert.Contains("leader, DB 21 MB", cut.Find("[data-testid=talos-row-mini01]").TextContent);
        Assert.Contains("voter, did not answer", mini03.TextContent);
        Assert.Equal("etcd: quorum — 2/3 voting members healthy (needs 2), leader a49c021e76e707d1", cut.Find("[data-testid=etcd-line]").TextContent);
        Assert.Equal("Degraded", cut.Find("[data-testid=etcd-line]").GetAttribute("data-health"));
    }

    [Fact]
    public async Task The_page_follows_each_poll_and_reads_maintenance_mode_from_talos()
    {
        UseCluster();
        await PollAsync();
        var cut = Render<Nodes>();
        Assert.Equal("Healthy", cut.Find("[data-testid=talos-row-mini03]").GetAttribute("data-health"));
        Assert.Contains("3/3 voting members healthy", cut.Find("[data-testid=etcd-line]").TextContent);

        Talos.States["172.29.51.13"] = "maintenance";
        await PollAsync();
        cut.WaitForAssertion(() =>
        {
            var row = cut.Find("[data-testid=talos-row-mini03]");
            Assert.Contains("maintenance mode (read from Talos)", row.InnerHtml);
            Assert.Contains("maintenance mode: no services configured", row.TextContent);
            Assert.Contains("not a member", row.TextContent);
        }, Wait);
        Assert.Contains("2/2 voting members healthy", cut.Find("[data-testid=etcd-line]").TextContent);
    }

    [Fact]
    public async Task The_overview_tile_shows_the_etcd_line_and_only_the_nodes_that_are_not_healthy()
    {
        UseCluster();
        Talos.States["172.29.51.12"] = "down";
        await PollAsync();
        var cut = Render<NodesTile>();
        Assert.Contains("etcd: quorum — 2/3", cut.Find("[data-testid=tile-talos] [data-testid=etcd-line]").TextContent);
        Assert.Contains("Talos API (apid) unreachable since", cut.Find("[data-testid=tile-talos-node-mini02]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=tile-talos-node-mini01]"));
    }
}

/// <summary>Without a Talos feed in the process the panel says so; it never shows an etcd verdict it does not have.</summary>
public sealed class TalosPanelWithoutFeedTests : DashboardTestContext
{
    [Fact]
    public void No_feed_is_said_plainly()
    {
        UseCluster();
        var cut = Render<TalosPanel>();
        Assert.Equal("etcd: unknown — no Talos feed in this process", cut.Find("[data-testid=etcd-line]").TextContent);
        Assert.Equal("Unknown", cut.Find("[data-testid=etcd-line]").GetAttribute("data-health"));
        Assert.Equal("false", cut.Find("[data-testid=talos-panel]").GetAttribute("data-live"));
        Assert.Empty(cut.FindAll("[data-testid=talos-table]"));
    }
}
