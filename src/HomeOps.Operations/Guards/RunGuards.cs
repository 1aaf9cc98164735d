using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Guards;

/// <summary>The checks on who asks and how: operator role, step-up freshness, typed confirmation, reason.</summary>
public static class RunGuards
{
    public const int MaxReasonLength = 2000;

    public static string? Operator(Actor actor) =>
        actor.IsOperator ? null : $"{actor.User} is not an operator (operator group membership is required for every action)";

    /// <summary>A destructive action needs a sign-in no older than <paramref name="maxAge"/> (step-up via max_age / prompt=login).</summary>
    public static string? StepUp(Actor actor, DateTimeOffset now, TimeSpan maxAge)
    {
        if (actor.AuthTime is not { } at) return "step-up sign-in required: the session carries no auth_time";
        if (at > now + TimeSpan.FromMinutes(1)) return "step-up sign-in required: auth_time lies in the future";
        var age = now - at;
        return age <= maxAge ? null : $"step-up sign-in required: last sign-in was {Describe(age)} ago, destructive actions need one within {Describe(maxAge)}";
    }

    public static string? Reason(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason)) return "a reason is required";
        return reason.Length > MaxReasonLength ? $"the reason is longer than {MaxReasonLength} characters" : null;
    }

    /// <summary>Everything a destructive run needs from its caller, in one list (empty = allowed).</summary>
    public static List<string> Destructive(WorkflowDefinition definition, ValidatedParameters parameters, Actor actor, string? confirmation, string? reason, DateTimeOffset now, TimeSpan stepUpMaxAge)
    {
        var problems = new List<string>();
        if (StepUp(actor, now, stepUpMaxAge) is { } s) problems.Add(s);
        if (ConfirmationGuard.Check(definition, parameters, confirmation) is { } c) problems.Add(c);
        if (Reason(reason) is { } r) problems.Add(r);
        return problems;
    }

    private static string Describe(TimeSpan t) => t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes} min" : $"{(int)t.TotalSeconds} s";
}
