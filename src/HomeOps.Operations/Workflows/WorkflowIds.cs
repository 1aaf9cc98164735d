namespace HomeOps.Operations.Workflows;

/// <summary>
/// The ids of the shipped workflows (Workflows/Definitions/*.yaml), for the code that names a particular workflow:
/// its own page, the reset-since-bootstrap check, tests. The YAML stays the source of the definitions; an operator's
/// override file may replace a definition but keeps its id.
/// These are workflow ids. Several equal the name of the Taskfile task the workflow runs (cluster:safe-reset runs
/// <c>task cluster:safe-reset</c>), but a task name in an argv is a different fact: see <c>CommandSafetyPolicy</c>.
/// </summary>
public static class WorkflowIds
{
    public const string BootstrapPhased = "bootstrap:phased";
    public const string SafeReset = "cluster:safe-reset";
    public const string SafeReboot = "cluster:safe-reboot";
    public const string EmergencyRecovery = "cluster:emergency-recovery";
    public const string RecoverKubeconfig = "talos:recover-kubeconfig";
    public const string RejoinNode = "cluster:rejoin-node";
    public const string Recover = "cluster:recover";
    public const string EtcdMembers = "etcd:members";
    public const string EtcdRemoveMember = "etcd:remove-member";
    public const string DeployCilium = "apps:deploy-cilium";
}
