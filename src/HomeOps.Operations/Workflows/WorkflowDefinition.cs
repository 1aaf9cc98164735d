using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace HomeOps.Operations.Workflows;

// The validated, immutable model of a workflow definition. The YAML schema is documented at the top of
// Workflows/Definitions/bootstrap.yaml; WorkflowYaml.cs holds the raw shapes, WorkflowValidator the rules.

/// <summary>Kinds of input a workflow accepts. Node kinds only ever take names from the live node list.</summary>
public enum ParameterType
{
    /// <summary>One or more node names from the live node list (comma separated).</summary>
    NodeList,
    /// <summary>One node name from the live node list.</summary>
    Node,
    /// <summary>A token matching <see cref="ParameterDefinition.Pattern"/> and the safe character set.</summary>
    String,
    /// <summary>One of <see cref="ParameterDefinition.Values"/>.</summary>
    Enum,
}

public sealed record ParameterDefinition(
    string Name,
    ParameterType Type,
    string? Source,
    bool Required,
    string? Pattern,
    ImmutableArray<string> Values,
    string? Default,
    string? Description)
{
    [JsonIgnore]
    public bool IsNodeKind => Type is ParameterType.Node or ParameterType.NodeList;
}

/// <summary>What an operator must type before a destructive run starts: a fixed phrase, or the chosen node names.</summary>
public sealed record ConfirmationDefinition(string? Phrase, string? NodeNamesParameter);

/// <summary>What a destructive workflow does to its target nodes; decides which pre-flight checks apply.</summary>
public enum PreflightImpact
{
    /// <summary>No node is taken down (the checks on open failures and freshness still run).</summary>
    None,
    /// <summary>Target nodes go down temporarily (reboot): availability, quorum while down.</summary>
    Restart,
    /// <summary>Target nodes lose STATE and EPHEMERAL (reset): data on them is gone, etcd membership is gone.</summary>
    Wipe,
}

public sealed record PreflightDefinition(
    string? TargetsParameter,
    PreflightImpact Impact,
    bool Rolling,
    string? FullClusterParameter,
    string? FullClusterValue,
    ImmutableArray<string> Warnings);

/// <summary>A gate as written in a step: a registered predicate name, its arguments, how long to wait for it to pass.</summary>
public sealed record GateReference(string Name, ImmutableDictionary<string, string> Args, TimeSpan Wait, bool Advisory)
{
    public string DescribeArgs() => Args.Count == 0 ? "" : string.Join(", ", Args.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}"));

    public override string ToString() => Args.Count == 0 ? Name : $"{Name} {{{DescribeArgs()}}}";
}

/// <summary>The step is planned only when the enum parameter has this value (e.g. clear the checkout's state after a reset).</summary>
public sealed record StepCondition(string Parameter, string Value)
{
    public override string ToString() => $"{Parameter}={Value}";
}

public sealed record StepDefinition(
    string Id,
    string Title,
    string? Description,
    ImmutableArray<string> Argv,
    ImmutableDictionary<string, string> Env,
    string WorkingDirectory,
    TimeSpan Timeout,
    string? Stdin,
    ImmutableArray<GateReference> Before,
    ImmutableArray<GateReference> After,
    string? ForEach,
    string Runner,
    ImmutableArray<string> Caveats,
    ImmutableArray<string> ForceArgv = default,
    StepCondition? When = null,
    string? PartialWhenOutput = null,
    ImmutableArray<string> Secrets = default)
{
    /// <summary>A step without a command only evaluates its gates (e.g. "wait until the reset nodes are down").</summary>
    [JsonIgnore]
    public bool IsCheckOnly => Argv.IsDefaultOrEmpty;
}

/// <summary>
/// The host secrets a step may opt into with <c>secrets: [..]</c>. A step without the opt-in never receives one, whatever
/// its <c>env:</c> says; a step with it receives it only if the host has it configured.
/// </summary>
public static class StepSecrets
{
    /// <summary>
    /// The station's 1Password service-account token (<c>Operations:OnePasswordTokenFile</c>), passed as
    /// <c>OP_SERVICE_ACCOUNT_TOKEN</c> to a step that runs the <c>op</c> CLI.
    /// </summary>
    public const string OnePassword = "onepassword";

    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal) { OnePassword };
}

/// <summary>
/// Where a workflow can run. <c>InCluster</c> = from the dashboard's pod (Cluster:Mode InCluster), which depends on the
/// cluster's API, Authentik, Longhorn and the ingress VIP; <c>Station</c> = the operator station (the same image or
/// <c>dotnet run</c> on a LAN machine), which keeps working when those are down.
/// </summary>
public enum RunLocation
{
    Both,
    Station,
    InCluster,
}

/// <summary>
/// <c>runsOn</c>: where the workflow can run, why, an optional parameter value that makes it station-only (a partial
/// reset can run in the cluster, a full-cluster reset cannot), and an optional node parameter that makes it
/// station-only when it names the node the dashboard's own pod runs on (a reset of that node takes the dashboard down
/// mid-run).
/// </summary>
public sealed record RunsOnDefinition(RunLocation Location, string Why, StepCondition? StationOnlyWhen = null, string? StationOnlyForOwnNodeIn = null)
{
    public static readonly RunsOnDefinition Anywhere = new(RunLocation.Both, "");

    /// <summary>Where the refusal points to: the operator station's page.</summary>
    public const string StationDoc = "docs/station.md";

    /// <summary>
    /// The one decision of where a run may start, for the engine's admission and the page alike: null when it may start
    /// where the dashboard runs, otherwise the refusal. <paramref name="ownNode"/> is the node of the dashboard's pod
    /// (downward API <c>NODE_NAME</c>); in the cluster, unknown counts as possibly any node (default-deny).
    /// </summary>
    public string? Refusal(string workflowId, IReadOnlyDictionary<string, string> parameters, bool runsInCluster, string? ownNode) =>
        runsInCluster ? RefusalInCluster(workflowId, parameters, ownNode) : RefusalAtStation(workflowId);

    /// <summary>Null when the run may start where the dashboard runs; otherwise the refusal, pointing to the operator station.</summary>
    public string? RefusalInCluster(string workflowId, IReadOnlyDictionary<string, string> parameters, string? ownNode = null)
    {
        var stationOnly = Location == RunLocation.Station
            || (StationOnlyWhen is { } w && parameters.TryGetValue(w.Parameter, out var v) && v == w.Value);
        if (stationOnly)
        {
            var which = Location == RunLocation.Station ? workflowId : $"{workflowId} with {StationOnlyWhen}";
            return $"{which} cannot run from inside the cluster (this dashboard runs in-cluster, Cluster:Mode=InCluster){(Why.Length > 0 ? ": " + Why : "")}. " + ToStation;
        }
        if (StationOnlyForOwnNodeIn is { } param && parameters.TryGetValue(param, out var chosen) && chosen.Length > 0)
        {
            var nodes = chosen.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (string.IsNullOrWhiteSpace(ownNode))
                return $"{workflowId} cannot run from inside the cluster while the dashboard does not know its own node (NODE_NAME from the downward API " +
                       $"spec.nodeName is not set): {string.Join(", ", nodes)} may include the node this dashboard runs on. " + ToStation;
            if (nodes.Contains(ownNode, StringComparer.Ordinal))
                return $"{workflowId} of {ownNode} cannot run from inside the cluster: {ownNode} is the node this dashboard's own pod runs on, " +
                       "so the run would take down the dashboard that drives it. Reset the other nodes from here, or " + ToStation[0..1].ToLowerInvariant() + ToStation[1..];
        }
        return null;
    }

    private const string ToStation =
        "Run it from the operator station: the same image or `dotnet run` with Cluster:Mode=Kubeconfig on a LAN machine outside the cluster, " +
        "with the home-ops checkout, talosconfig, kubeconfig and a 1Password service-account token (" + StationDoc + ").";

    public string? RefusalAtStation(string workflowId) =>
        Location == RunLocation.InCluster ? $"{workflowId} runs only from the dashboard's pod in the cluster{(Why.Length > 0 ? ": " + Why : "")}." : null;
}

public sealed record WorkflowDefinition(
    string Id,
    string Title,
    string Description,
    string Category,
    bool Destructive,
    ConfirmationDefinition? Confirmation,
    ImmutableArray<ParameterDefinition> Parameters,
    ImmutableArray<string> Caveats,
    PreflightDefinition? Preflight,
    ImmutableArray<StepDefinition> Steps,
    string Source,
    RunsOnDefinition? RunsOn = null)
{
    public ParameterDefinition? FindParameter(string name) =>
        Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));

    /// <summary>Where it can run: <see cref="RunsOnDefinition.Anywhere"/> when the definition does not say.</summary>
    [JsonIgnore]
    public RunsOnDefinition Where => RunsOn ?? RunsOnDefinition.Anywhere;
}
