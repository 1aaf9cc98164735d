namespace HomeOps.Operations.Workflows;

/// <summary>One or more definitions are invalid. Every problem is listed, each naming its file and workflow.</summary>
public sealed class WorkflowDefinitionException(IReadOnlyList<string> errors)
    : Exception("Invalid workflow definitions:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
