using HomeOps.Operations.Gates;
using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Tests.StandIns;

/// <summary>
/// Issue 13 i: the shipped etcd:members / etcd:remove-member argv, resolved for mini01, played against the strict
/// talosctl stand-in after a partial reset of mini02 (which leaves mini02's member behind).
/// </summary>
public sealed class EtcdMemberStandInTests : IAsyncLifetime
{
    private StandInRig _rig = null!;
    private static readonly WorkflowCatalog Catalog = new(GateRegistry.CreateDefault());

    public async ValueTask InitializeAsync() => _rig = await StandInRig.StartAsync();

    public async ValueTask DisposeAsync() => await _rig.DisposeAsync();

    private static string[] Resolve(string workflow, string step, string memberId = "") =>
        [.. Catalog.Find(workflow)!.Steps.Single(s => s.Id == step).Argv
            .Select(a => a.Replace("{via-node:ip}", "172.29.51.11").Replace("{member-id}", memberId))];

    [Fact]
    public async Task After_a_partial_reset_the_stale_member_is_listed_and_removed_through_a_healthy_node()
    {
        var reset = await _rig.RunAsync(["task", "cluster:safe-reset", "CONFIRM=SAFE-RESET", "NODES=172.29.51.12"], autoRejoin: false);
        Assert.Equal(0, reset.ExitCode);

        var before = await _rig.RunAsync(Resolve("etcd:members", "members"), autoRejoin: false);
        Assert.Equal(0, before.ExitCode);
        var stale = Assert.Single(before.Lines, l => l.Contains(" mini02 "));
        var id = stale.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];

        var removed = await _rig.RunAsync(Resolve("etcd:remove-member", "remove", id), autoRejoin: false);
        Assert.Equal(0, removed.ExitCode);

        var after = await _rig.RunAsync(Resolve("etcd:remove-member", "after"), autoRejoin: false);
        Assert.Equal(0, after.ExitCode);
        Assert.DoesNotContain(after.Lines, l => l.Contains(" mini02 "));
        Assert.Contains(after.Lines, l => l.Contains(" mini01 "));
    }
}
