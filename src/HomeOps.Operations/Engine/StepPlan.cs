namespace HomeOps.Operations.Engine;

/// <summary>A gate with its arguments already substituted.</summary>
public sealed record PlannedGate(string Name, IReadOnlyDictionary<string, string> Args, TimeSpan Wait, bool Advisory)
{
    public override string ToString() =>
        Args.Count == 0 ? Name : $"{Name} {{{string.Join(", ", Args.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}"))}}}";
}

/// <summary>
/// One step instance as it will run, fixed when the run is created: the resolved argv (every element one argument),
/// environment, working directory (relative to the checkout), stdin, timeout and gates. Shown to the operator before
/// confirming, stored with the run, and what a resume runs — a changed definition never alters a run in flight.
/// <see cref="Secrets"/> names the host secrets the step opted into (<c>secrets:</c>), never their values.
/// </summary>
public sealed record StepPlan(
    IReadOnlyList<string> Argv,
    IReadOnlyDictionary<string, string> Env,
    string WorkingDirectory,
    string? Stdin,
    TimeSpan Timeout,
    IReadOnlyList<PlannedGate> Before,
    IReadOnlyList<PlannedGate> After,
    string Runner,
    string? Description,
    IReadOnlyList<string> Caveats,
    IReadOnlyList<string>? ForceArgv = null,
    string? PartialWhenOutput = null,
    IReadOnlyList<string>? Secrets = null)
{
    public bool IsCheckOnly => Argv.Count == 0;

    /// <summary>The command a run executes for this step: <see cref="ForceArgv"/> when an operator forced a re-run and the step has one.</summary>
    public IReadOnlyList<string> CommandFor(bool forced) => forced && ForceArgv is { Count: > 0 } f ? f : Argv;
}

/// <summary>The operator's input and what it resolved to, stored with the run.</summary>
public sealed record StoredParameters(
    Dictionary<string, string?> Input,
    Dictionary<string, string> Values,
    Dictionary<string, string[]> NodeLists,
    Dictionary<string, string> NodeIps);
