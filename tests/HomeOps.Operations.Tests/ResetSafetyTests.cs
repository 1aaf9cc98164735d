using HomeOps.Operations.Gates;
using HomeOps.Operations.Guards;
using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Tests;

/// <summary>A reset without partition labels must be impossible to express — in shipped definitions, overrides, or at run time.</summary>
public class ResetSafetyTests
{
    private static readonly WorkflowLoader Loader = new(GateRegistry.CreateDefault());

    private static string Reset(string argv, string env = "{}") => $$"""
        workflows:
          - id: test:reset
            title: Reset
            parameters:
              - {name: nodes, type: node-list, source: live-nodes, required: true}
            steps:
              - {id: r, title: R, argv: {{argv}}, env: {{env}}}
        """;

    private static IReadOnlyList<string> Errors(string yaml)
    {
        try { Loader.Parse(yaml, "reset.yaml"); return []; }
        catch (WorkflowDefinitionException ex) { return ex.Errors; }
    }

    [Theory]
    [InlineData("[talosctl, reset, --nodes, '{nodes:ips}']", "would wipe the whole system disk")]
    [InlineData("[talosctl, reset, --nodes, '{nodes:ips}', --graceful=false, --reboot]", "would wipe the whole system disk")]
    [InlineData("[talosctl, reset, --system-labels-to-wipe, STATE, --nodes, '{nodes:ips}']", "missing EPHEMERAL")]
    [InlineData("[talosctl, reset, --system-labels-to-wipe, STATE, --system-labels-to-wipe, EPHEMERAL, --system-labels-to-wipe, META]", "not META")]
    [InlineData("[talosctl, reset, --system-labels-to-wipe=STATE, --system-labels-to-wipe=EPHEMERAL, --wipe-mode=all]", "--wipe-mode")]
    [InlineData("[talosctl, reset, --system-labels-to-wipe, STATE, --system-labels-to-wipe, EPHEMERAL, --user-disks-to-wipe, /dev/sda]", "--user-disks-to-wipe")]
    [InlineData("[talosctl, reset, --system-labels-to-wipe, '{nodes}', --system-labels-to-wipe, EPHEMERAL]", "literal")]
    [InlineData("[mise, exec, --, talosctl, reset, --nodes, '{nodes:ips}']", "would wipe the whole system disk")]
    [InlineData("[/usr/local/bin/talosctl, reset]", "would wipe the whole system disk")]
    [InlineData("[talosctl, reset, --system-labels-to-wipe]", "has no value")]
    public void A_talosctl_reset_without_exactly_STATE_and_EPHEMERAL_is_rejected(string argv, string expected)
    {
        var errors = Errors(Reset(argv));
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[talosctl, reset, --nodes, '{nodes:ips}', --system-labels-to-wipe, STATE, --system-labels-to-wipe, EPHEMERAL, --graceful=false, --wait=false]")]
    [InlineData("[talosctl, reset, '--system-labels-to-wipe=STATE,EPHEMERAL', --nodes, '{nodes:ips}']")]
    public void A_reset_limited_to_STATE_and_EPHEMERAL_is_accepted(string argv) => Assert.Empty(Errors(Reset(argv)));

    [Theory]
    [InlineData("[task, cluster:safe-reset]", "{CONFIRM: SAFE-RESET}", "resets all three nodes")]
    [InlineData("[task, cluster:safe-reset, NODES=all]", "{CONFIRM: SAFE-RESET}", "never a literal")]
    [InlineData("[task, cluster:safe-reset]", "{CONFIRM: SAFE-RESET, NODES: '172.29.51.12'}", "never a literal")]
    [InlineData("[task, cluster:safe-reset]", "{CONFIRM: SAFE-RESET, NODES: '{nodes}'}", "{name:ips}")]
    [InlineData("[task, cluster:safe-reset, 'NODES={nodes:ips}']", "{}", "CONFIRM=SAFE-RESET")]
    [InlineData("[task, cluster:safe-reset, 'NODES={nodes:ips}', CONFIRM=yes]", "{}", "CONFIRM=SAFE-RESET")]
    public void The_safe_reset_task_needs_confirm_and_nodes_from_the_live_list(string argv, string env, string expected)
    {
        var errors = Errors(Reset(argv, env));
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[dd, if=/dev/zero, of=/dev/sda]", "writes to disks")]
    [InlineData("[mkfs.ext4, /dev/sdb]", "writes to disks")]
    [InlineData("[kubectl, delete, nodes, --all]", "kubectl delete of all nodes")]
    [InlineData("[kubectl, delete, ns, --all]", "kubectl delete of all nodes")]
    [InlineData("[etcdctl, del, '', --from-key]", "etcdctl del")]
    public void Forbidden_operations_are_rejected(string argv, string expected) =>
        Assert.Contains(Errors(Reset(argv)), e => e.Contains(expected, StringComparison.Ordinal));

    [Fact]
    public void At_run_time_an_empty_or_non_ip_NODES_is_refused_even_if_a_definition_slipped_through()
    {
        var env = new Dictionary<string, string> { ["CONFIRM"] = "SAFE-RESET" };
        Assert.Contains(CommandSafetyPolicy.Check(["task", "cluster:safe-reset", "NODES="], env, resolved: true), e => e.Contains("empty"));
        Assert.Contains(CommandSafetyPolicy.Check(["task", "cluster:safe-reset", "NODES=all"], env, resolved: true), e => e.Contains("IPv4"));
        Assert.Contains(CommandSafetyPolicy.Check(["task", "cluster:safe-reset", "NODES=172.29.51.12;reboot"], env, resolved: true), e => e.Contains("IPv4"));
        Assert.Empty(CommandSafetyPolicy.Check(["task", "cluster:safe-reset", "NODES=172.29.51.12,172.29.51.13"], env, resolved: true));
    }

    [Fact]
    public void The_shipped_definitions_pass_the_policy_and_their_only_reset_is_the_safe_reset_task()
    {
        var catalog = new WorkflowCatalog(GateRegistry.CreateDefault());
        var steps = catalog.All.SelectMany(w => w.Steps).ToList();
        Assert.DoesNotContain(steps, s => s.Argv.Contains("reset") || (!s.ForceArgv.IsDefaultOrEmpty && s.ForceArgv.Contains("reset")));
        // One reset step per scope (partial / full-cluster, exactly one planned per run), both the safe-reset task.
        var resets = steps.Where(s => s.Argv.Contains("cluster:safe-reset")).ToList();
        Assert.Equal(["reset", "reset-all"], resets.Select(s => s.Id));
        Assert.All(resets, s => Assert.Equal(["task", "cluster:safe-reset", "CONFIRM=SAFE-RESET", "NODES={nodes:ips}"], s.Argv));
        Assert.Equal(["partial", "full-cluster"], resets.Select(s => s.When!.Value));
    }
}
