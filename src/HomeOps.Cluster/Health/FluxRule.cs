using System.Collections.Immutable;
using HomeOps.Cluster.Model;
using static HomeOps.Cluster.Health.Text;

namespace HomeOps.Cluster.Health;

/// <summary>
/// The kstatus-style rule shared by Kustomization, HelmRelease and GitRepository (FIELDS.md §2, "Suggested
/// classification for all Flux kinds"). Conditions are found by type, never by position.
/// </summary>
public static class FluxRule
{
    public const string DependencyNotReady = "DependencyNotReady";
    public const string SuspendedReason = "Suspended";
    public const string ObservedGenerationLag = "ObservedGenerationLag";

    /// <param name="suspended"><c>spec.suspend</c>.</param>
    /// <param name="generation"><c>metadata.generation</c> (0 when absent).</param>
    /// <param name="observedGeneration"><c>status.observedGeneration</c>, null when absent (older objects, fragments).</param>
    public static Verdict Evaluate(bool suspended, ImmutableArray<Condition> conditions, long generation, long? observedGeneration)
    {
        var ready = conditions.Find("Ready");
        var reconciling = conditions.Find("Reconciling");

        // 1. The controller skips a suspended object and leaves its old status in place: Ready=True means nothing.
        if (suspended)
            return new Verdict(HealthStatus.Suspended, SuspendedReason,
                "spec.suspend is true: Flux does not reconcile it" + (ready is null ? "" : $"; last status Ready={ready.Status} {ready.Reason}".TrimEnd()));

        // 2. Stalled=True: it will not retry without a spec change.
        if (conditions.Find("Stalled") is { IsTrue: true } stalled)
        {
            var detail = ready is { IsTrue: false } && ready.Message.Length > 0 && ready.Message != stalled.Message ? $": {ready.Message}" : "";
            return new Verdict(HealthStatus.Failed, Or(stalled.Reason, "Stalled"),
                $"stalled (will not retry without a spec change): {Or(stalled.Message, "Stalled=True")}{detail}", stalled.LastTransitionTime);
        }

        // 3. Ready=True, for the current spec.
        if (ready is { IsTrue: true })
        {
            if (generation > 0 && observedGeneration is { } observed && observed < generation)
                return new Verdict(HealthStatus.Progressing, ObservedGenerationLag,
                    $"status describes an older spec (observedGeneration {observed} < generation {generation}); last: {Or(ready.Message, ready.Reason)}",
                    ready.LastTransitionTime);
            if (conditions.Find("Drifted") is { IsTrue: true } drifted)
                return new Verdict(HealthStatus.Degraded, Or(drifted.Reason, "DriftDetected"),
                    Or(drifted.Message, "the cluster state drifted from the release"), drifted.LastTransitionTime);
            if (conditions.Find("TestSuccess") is { IsFalse: true } test)
                return new Verdict(HealthStatus.Degraded, Or(test.Reason, "TestFailed"),
                    $"Helm tests failed (ignored for readiness): {Or(test.Message, "TestSuccess=False")}", test.LastTransitionTime);
            return new Verdict(HealthStatus.Healthy, Or(ready.Reason, "Ready"), Or(ready.Message, "Ready=True"), ready.LastTransitionTime);
        }

        // 5 (checked before 4): waiting on a dependency is a warning, not a failure; FluxGraph finds the root cause.
        if (ready is { IsFalse: true } && ready.Reason == DependencyNotReady)
            return new Verdict(HealthStatus.Degraded, DependencyNotReady,
                Or(ready.Message, "a dependency is not ready"), ready.LastTransitionTime);

        // 4. In progress.
        if (ready is { Status: "Unknown" })
            return new Verdict(HealthStatus.Progressing, Or(ready.Reason, "Progressing"),
                Or(reconciling?.Message, Or(ready.Message, "reconciliation in progress")), ready.LastTransitionTime);
        if (reconciling is { IsTrue: true, Reason: "Progressing" })
            return new Verdict(HealthStatus.Progressing, "Progressing",
                Or(reconciling.Message, "reconciliation in progress"), reconciling.LastTransitionTime);

        // 6. Ready=False otherwise: failed (retrying when Reconciling=True ProgressingWithRetry).
        if (ready is { IsFalse: true })
        {
            var retrying = reconciling is { IsTrue: true } ? " (retrying)" : "";
            return new Verdict(HealthStatus.Failed, Or(ready.Reason, "NotReady"),
                Or(ready.Message, $"Ready={Or(ready.Status, "empty")}") + retrying, ready.LastTransitionTime);
        }

        if (ready is not null)
            return Verdict.Unknown("UnrecognizedStatus", $"Ready has status \"{ready.Status}\", expected True, False or Unknown");

        if (reconciling is { IsTrue: true })
            return new Verdict(HealthStatus.Progressing, Or(reconciling.Reason, "Progressing"),
                Or(reconciling.Message, "reconciliation in progress"), reconciling.LastTransitionTime);

        // 7. Nothing to go on.
        return conditions.IsDefaultOrEmpty
            ? Verdict.Unknown("NoConditions", "no status conditions: the controller has not reported on this object yet")
            : Verdict.Unknown("NoReadyCondition", $"no Ready condition (has {string.Join(", ", conditions.Select(c => c.Type))})");
    }
}
