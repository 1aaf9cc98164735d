using System.Text.Json.Serialization;

namespace HomeOps.Operations.Gates;

/// <summary>
/// Passed / Failed are decisions over live data. Unknown means the data cannot decide (stale feed, status of an
/// older generation) and never counts as passed. Skipped means the predicate is not observable by the dashboard at
/// all (pods are not watched): recorded and shown, but it does not block.
/// </summary>
public enum GateOutcome
{
    Passed,
    Failed,
    Unknown,
    Skipped,
}

/// <param name="StaleData">
/// Unknown because the Kubernetes API data it reads is not live (a dropped watch, a failing list): what a run started
/// with the API-unreachable override records as "not checked" instead of waiting for the API.
/// </param>
public sealed record GateResult(string Gate, string Arguments, GateOutcome Outcome, string Message, DateTimeOffset EvaluatedAt, bool Advisory = false,
    bool StaleData = false)
{
    /// <summary>How a gate says it was not checked under the API-unreachable override.</summary>
    public const string NotCheckedUnderOverride = "not checked (API unreachable, override)";

    /// <summary>A required gate that did not pass stops the step; an advisory one is only recorded.</summary>
    [JsonIgnore]
    public bool Blocks => !Advisory && Outcome is GateOutcome.Failed or GateOutcome.Unknown;

    public static GateResult Pass(string message) => new("", "", GateOutcome.Passed, message, default);
    public static GateResult Fail(string message) => new("", "", GateOutcome.Failed, message, default);
    public static GateResult Undecided(string message) => new("", "", GateOutcome.Unknown, message, default);
    public static GateResult NotObservable(string message) => new("", "", GateOutcome.Skipped, message, default);

    /// <summary>Unknown because the API data it needs is not live (<see cref="GateData.Staleness"/>).</summary>
    public static GateResult OnStaleData(string message) => new("", "", GateOutcome.Unknown, message, default, StaleData: true);

    public override string ToString() =>
        $"{Gate}{(Arguments.Length > 0 ? $" {{{Arguments}}}" : "")}: {Outcome}{(Advisory ? " (advisory)" : "")} — {Message}";
}
