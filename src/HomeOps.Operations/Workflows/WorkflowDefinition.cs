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
    string? PartialWhenOutput = null)
{
    /// <summary>A step without a command only evaluates its gates (e.g. "wait until the reset nodes are down").</summary>
    [JsonIgnore]
    public bool IsCheckOnly => Argv.IsDefaultOrEmpty;
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
    string Source)
{
    public ParameterDefinition? FindParameter(string name) =>
        Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
}
