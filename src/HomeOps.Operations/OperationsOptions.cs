namespace HomeOps.Operations;

/// <summary>Configuration section <c>Operations</c>.</summary>
public sealed class OperationsOptions
{
    public const string Section = "Operations";

    /// <summary>Where the SQLite file lives when no PostgreSQL connection string is configured.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The configured checkout of the home-ops repository; step working directories are relative to it.</summary>
    public string? HomeOpsCheckout { get; set; }

    /// <summary>A directory of *.yaml files whose workflows replace shipped ones with the same id (or add new ones).</summary>
    public string? DefinitionsDirectory { get; set; }

    /// <summary>A destructive run needs a sign-in no older than this (<c>Auth:StepUpMaxAge</c> overrides it).</summary>
    public TimeSpan StepUpMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Who this process is in run ownership and lock records: the pod name in a cluster.</summary>
    public string InstanceId { get; set; } = Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod ? pod : Environment.MachineName;

    /// <summary>
    /// The dashboard runs inside the cluster it operates (set from <c>Cluster:Mode=InCluster</c> unless configured,
    /// <c>Operations__RunsInCluster</c>): workflows whose <c>runsOn</c> says station are refused before they start.
    /// </summary>
    public bool RunsInCluster { get; set; }

    /// <summary>The node the dashboard's own pod runs on (downward API <c>NODE_NAME</c>); unknown → a pre-flight warning.</summary>
    public string? DashboardNodeName { get; set; } = Environment.GetEnvironmentVariable("NODE_NAME");

    /// <summary>
    /// The operator station's 1Password service-account token, as a file (a compose secret, <c>Operations__OnePasswordTokenFile</c>):
    /// read at step start and passed as <c>OP_SERVICE_ACCOUNT_TOKEN</c> only to steps that name a 1Password account
    /// (<c>OP_ACCOUNT</c> in their env:, e.g. cluster:recover). Unset: such steps need a signed-in <c>op</c> of their own.
    /// </summary>
    public string? OnePasswordTokenFile { get; set; }

    /// <summary>Stored output per step is the last this many bytes (UTF-8).</summary>
    public int OutputLimitBytes { get; set; } = 256 * 1024;

    /// <summary>A single output line longer than this is cut (a progress bar without newlines must not grow unbounded).</summary>
    public int MaxLineChars { get; set; } = 8 * 1024;

    public TimeSpan OutputFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a waiting gate re-checks even without a change in the health model.</summary>
    public TimeSpan GatePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A running run's owner writes a heartbeat this often (and picks up cancel requests from other replicas).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A run whose heartbeat is older than this is considered orphaned (its replica died) and becomes Interrupted.</summary>
    public TimeSpan StaleRunAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Pre-flight warns when an affected volume's last backup is older than this.</summary>
    public TimeSpan BackupWarnAge { get; set; } = TimeSpan.FromDays(8);

    /// <summary>Host-provided placeholder values: <c>kubeconfig</c>, <c>talosconfig</c>, <c>checkout</c>.</summary>
    public Dictionary<string, string> Variables { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Environment variables of the dashboard that step processes inherit besides PATH, HOME, KUBECONFIG, TALOSCONFIG,
    /// TZ and the locale (e.g. <c>SSH_AUTH_SOCK</c>, <c>HTTPS_PROXY</c>). A name that looks like a secret is refused at
    /// start; a step's own <c>env:</c> is always passed.
    /// </summary>
    public List<string> InheritEnvironment { get; set; } = [];

    /// <summary><c>InProcess</c> (simulator, single replica) or <c>Lease</c> (a Kubernetes Lease shared by replicas).</summary>
    public RunLockKind Lock { get; set; } = RunLockKind.InProcess;

    /// <summary>
    /// Every audit entry also becomes a Kubernetes Event on its target (a node, a Flux object; the dashboard's namespace
    /// <see cref="LeaseNamespace"/> for runs without node targets). Needs RBAC <c>create</c> on <c>events</c>.
    /// </summary>
    public bool AuditEvents { get; set; } = true;

    /// <summary>The dashboard's own namespace (<c>POD_NAMESPACE</c>): its Lease, and Events of runs without node targets.</summary>
    public string LeaseNamespace { get; set; } = Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } ns ? ns : "homeops-dashboard";

    public string LeaseName { get; set; } = "homeops-dashboard-operations";

    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>$XDG_DATA_HOME/homeops-dashboard</c>, else <c>~/.local/share/homeops-dashboard</c> (the XDG base directory
    /// spec; a relative XDG_DATA_HOME is invalid and ignored), else a folder under the temp directory when there is no
    /// home: where the dashboard keeps its data unless <see cref="DataDirectory"/> is configured, and where
    /// <c>homeops status --since</c> looks for the operations database.
    /// </summary>
    public static string DefaultDataDirectory(Func<string, string?> environment, string? home)
    {
        const string name = "homeops-dashboard";
        var xdg = environment("XDG_DATA_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)) return Path.Combine(xdg, name);
        if (!string.IsNullOrWhiteSpace(home) && Path.IsPathRooted(home)) return Path.Combine(home, ".local", "share", name);
        return Path.Combine(Path.GetTempPath(), name);
    }
}

/// <summary>Configuration section <c>Database</c>: a PostgreSQL connection string switches from SQLite to PostgreSQL.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public string? ConnectionString { get; set; }
}

/// <summary>Where the one-destructive-run-at-a-time lock lives (<c>Operations:Lock</c>).</summary>
public enum RunLockKind
{
    /// <summary>In this process: the simulator, or a single replica.</summary>
    InProcess,

    /// <summary>A Kubernetes Lease in <see cref="OperationsOptions.LeaseNamespace"/>, shared by every replica.</summary>
    Lease,
}
