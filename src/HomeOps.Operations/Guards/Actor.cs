namespace HomeOps.Operations.Guards;

/// <summary>
/// Who asks. The web layer builds it from the signed-in principal (groups from the <c>groups</c> claim, operator from
/// <c>Auth:OperatorGroups</c>, <see cref="AuthTime"/> from the <c>auth_time</c> claim). The engine checks it again on
/// every call: the UI hiding a button is not a check.
/// </summary>
public sealed record Actor(string User, IReadOnlyList<string> Groups, bool IsOperator, DateTimeOffset? AuthTime)
{
    public override string ToString() => $"{User} [{string.Join(",", Groups)}]{(IsOperator ? " operator" : "")}";
}
