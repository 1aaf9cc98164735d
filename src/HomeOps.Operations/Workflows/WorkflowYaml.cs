namespace HomeOps.Operations.Workflows;

// Raw YAML shapes, deserialised by YamlDotNet (camelCase keys; unknown keys are an error so that a typo such
// as "timout" cannot silently drop a safety setting). Converted and validated by WorkflowLoader/WorkflowValidator.

internal sealed class WorkflowFileYaml
{
    public List<WorkflowYaml>? Workflows { get; set; }
}

internal sealed class WorkflowYaml
{
    public string? Id { get; set; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? Category { get; set; }
    public bool? Destructive { get; set; }
    public ConfirmationYaml? Confirmation { get; set; }
    public List<ParameterYaml>? Parameters { get; set; }
    public List<string>? Caveats { get; set; }
    public PreflightYaml? Preflight { get; set; }
    public RunsOnYaml? RunsOn { get; set; }
    public List<StepYaml>? Steps { get; set; }
}

internal sealed class RunsOnYaml
{
    /// <summary>both | station | in-cluster.</summary>
    public string? Where { get; set; }
    public string? Why { get; set; }
    public WhenYaml? StationOnlyWhen { get; set; }
    /// <summary>A node or node-list parameter: naming the dashboard's own node makes the run station-only.</summary>
    public string? StationOnlyForOwnNodeIn { get; set; }
}

internal sealed class ConfirmationYaml
{
    public string? Phrase { get; set; }
    public string? NodeNames { get; set; }
}

internal sealed class ParameterYaml
{
    public string? Name { get; set; }
    public string? Type { get; set; }
    public string? Source { get; set; }
    public bool? Required { get; set; }
    public string? Pattern { get; set; }
    public List<string>? Values { get; set; }
    public string? Default { get; set; }
    public string? Description { get; set; }
}

internal sealed class PreflightYaml
{
    public string? Targets { get; set; }
    public string? Impact { get; set; }
    public bool? Rolling { get; set; }
    public FullClusterYaml? FullCluster { get; set; }
    public List<string>? Warnings { get; set; }
}

internal sealed class FullClusterYaml
{
    public string? Parameter { get; set; }
    public string? Value { get; set; }
}

internal sealed class StepYaml
{
    public string? Id { get; set; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    public List<string>? Argv { get; set; }
    public List<string>? ForceArgv { get; set; }
    public WhenYaml? When { get; set; }
    public string? PartialWhenOutput { get; set; }
    public Dictionary<string, string>? Env { get; set; }
    public string? WorkingDirectory { get; set; }
    public string? Timeout { get; set; }
    public string? Stdin { get; set; }
    public GatesYaml? Gates { get; set; }
    public string? ForEach { get; set; }
    public string? Runner { get; set; }
    public List<string>? Caveats { get; set; }
    public List<string>? Secrets { get; set; }
}

internal sealed class WhenYaml
{
    public string? Parameter { get; set; }
    public string? Value { get; set; }
}

internal sealed class GatesYaml
{
    public List<GateYaml>? Before { get; set; }
    public List<GateYaml>? After { get; set; }
}

internal sealed class GateYaml
{
    public string? Gate { get; set; }
    public Dictionary<string, string>? Args { get; set; }
    public string? Wait { get; set; }
    public bool? Advisory { get; set; }
}
