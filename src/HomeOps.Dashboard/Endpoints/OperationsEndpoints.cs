using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using HomeOps.Dashboard.Auth;
using HomeOps.Operations.Audit;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Flux;
using HomeOps.Operations.Guards;
using HomeOps.Operations.Persistence;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Endpoints;

/// <summary>
/// The operations API (JSON) for other clients and scripts: reads for viewers, actions for operators only (the policy
/// is the first check; the engine re-checks the actor, step-up, confirmation and reason, and audits every refusal;
/// refusals by the policy itself are audited by OperatorRefusalAudit). State-changing calls made with the session
/// cookie need the antiforgery header; bearer callers do not.
/// </summary>
public static class OperationsEndpoints
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public sealed record PreviewBody(Dictionary<string, string?>? Parameters);

    public sealed record RunBody(string WorkflowId, Dictionary<string, string?>? Parameters, string? Reason, string? Confirmation);

    public sealed record ConfirmBody(string? Confirmation, string? Reason);

    public sealed record ResumeBody(string? Reason, string? Confirmation, List<string>? ForceSteps, List<string>? SkipSteps);

    public sealed record ReasonBody(string? Reason);

    public sealed record FluxBody(string? Reason, bool WithSource = false);

    public static WebApplication MapOperationsApi(this WebApplication app)
    {
        var ops = app.MapGroup("/api/v1/operations");

        ops.MapGet("/workflows", (IOperationsEngine engine) => Ok(engine.Workflows.All))
            .RequireAuthorization(Policies.Viewer).WithName("ops-workflows");

        ops.MapPost("/workflows/{id}/preview", async (string id, PreviewBody? body, IOperationsEngine engine, HttpContext http, IOptions<AuthOptions> auth, CancellationToken ct) =>
            {
                var preview = await engine.PreviewAsync(new RunRequest(id, body?.Parameters ?? []), Actor(http, auth), ct);
                return preview.Workflow is null ? Results.NotFound() : Ok(preview);
            })
            .RequireAuthorization(Policies.Operator).RequireCookieAntiforgery().WithName("ops-preview");

        // Two-step: create (destructive → awaiting confirmation, with its pre-flight), then confirm or start.
        ops.MapPost("/runs", async (RunBody body, IOperationsEngine engine, HttpContext http, IOptions<AuthOptions> auth, CancellationToken ct) =>
                Command(await engine.CreateAsync(Request(body), Actor(http, auth), ct)))
            .RequireAuthorization(Policies.Operator).RequireCookieAntiforgery().WithName("ops-create-run");

        // One call: create and start (a destructive workflow carries its confirmation and reason).
        ops.MapPost("/runs/trigger", async (RunBody body, IOperationsEngine engine, HttpContext http, IOptions<AuthOptions> auth, CancellationToken ct) =>
                Command(await engine.TriggerAsync(Request(body), Actor(http, auth), ct)))
            .RequireAuthorization(Policies.Operator).RequireCookieAntiforgery().WithName("ops-trigger-run");

        ops.MapPost("/runs/{id:guid}/confirm", async (Guid id, ConfirmBody body, IOperationsEngine engine, HttpContext http, IOptions<AuthOptions> auth, CancellationToken ct) =>
                Command(await engine.ConfirmAsync(id, body.Confirmation, body.Reason, Actor(http, auth), ct)))
            .RequireAuthorization(Policies.Operator).RequireCookieAntiforgery().WithName("ops-confirm-run");

        ops.MapPost("/runs/{id:guid}/start", async (Guid id, IOperationsEngine engine, HttpContext http, IOptions<AuthOptions> auth, CancellationToken ct) =>
                Command(await engine.StartAsync(id, Actor(http, auth), ct)))
            .RequireAuthorization(Policies.Operator).RequireCookieAntiforgery().WithName("ops-start-run");

        ops.MapPost("/runs/{id:guid}/resume", async (Guid id, ResumeBody body, IOperationsEngine engine, HttpContext http, IOptions<AuthOptions> auth, CancellationToken ct) =>
                Command(await engine.ResumeAsync(new ResumeRequest(id, body.Reason, body.Confirmation, body.ForceSteps, body.SkipSteps), Actor(http, auth), ct)))
            .RequireAuthorization(Policies.Operator).RequireCookieAntiforgery().WithName("ops-resume-run");

        ops.MapPost("/runs/{id:guid}/cancel", async (Guid id, ReasonBody? body, IOperationsEngine engine, HttpContext http, IOptions<AuthOptions> auth, CancellationToken ct) =>
                Command(await engine.CancelAsync(id, body?.Reason, Actor(http, auth), ct)))
            .RequireAuthorization(Policies.Operator).RequireCookieAntiforgery().WithName("ops-cancel-run");

        ops.MapPost("/runs/{id:guid}/abandon", async (Guid id, ReasonBody body, IOperationsEngine engine, HttpContext http, IOptions<AuthOptions> auth, CancellationToken ct) =>
                Command(await engine.AbandonAsync(id, body.Reason, Actor(http, auth), ct)))
            .RequireAuthorization(Policies.Operator).RequireCookieAntiforgery().WithName("ops-abandon-run");

        ops.MapGet("/runs", async (string? workflowId, RunStatus? status, int? take, IOperationsEngine engine, CancellationToken ct) =>
                Ok(await engine.ListRunsAsync(new RunQuery(workflowId, status, Math.Clamp(take ?? 50, 1, 500)), ct)))
            .RequireAuthorization(Policies.Viewer).WithName("ops-list-runs");

        ops.MapGet("/runs/{id:guid}", async (Guid id, IOperationsEngine engine, CancellationToken ct) =>
                await engine.GetRunAsync(id, ct) is { } run ? Ok(run) : Results.NotFound())
            .RequireAuthorization(Policies.Viewer).WithName("ops-get-run");

        // Flux actions straight through the Kubernetes API, guarded and audited by IFluxActions.
        app.MapPost("/api/v1/flux/{kind}/{namespace}/{name}/{action}",
                async (string kind, string @namespace, string name, string action, FluxBody? body, IFluxActions flux, HttpContext http, IOptions<AuthOptions> auth, CancellationToken ct) =>
                {
                    var target = new FluxObjectRef(kind, @namespace, name);
                    var actor = Actor(http, auth);
                    var result = action switch
                    {
                        "reconcile" => await flux.ReconcileAsync(target, body?.WithSource ?? false, actor, ct),
                        "suspend" => await flux.SuspendAsync(target, actor, body?.Reason ?? "", ct),
                        "resume" => await flux.ResumeAsync(target, actor, body?.Reason, ct),
                        "resume-and-reconcile" => await flux.ResumeAndReconcileAsync(target, actor, body?.Reason, ct),
                        _ => null,
                    };
                    if (result is null) return Results.NotFound(new { error = $"unknown Flux action '{action}' (reconcile, suspend, resume, resume-and-reconcile)" });
                    // Refused by a guard → 409; allowed but the Kubernetes API did not carry it out → 502 (audited as Failed).
                    var status = result.Accepted ? StatusCodes.Status200OK : result.Failed ? StatusCodes.Status502BadGateway : StatusCodes.Status409Conflict;
                    return Results.Json(result, Json, statusCode: status);
                })
            .RequireAuthorization(Policies.Operator).RequireCookieAntiforgery().WithName("flux-action");

        app.MapGet("/api/v1/audit", async (string? format, string? user, string? action, string? outcome, string? from, string? to, Guid? runId, int? take,
                IAuditLog audit, TimeProvider time, CancellationToken ct) =>
            {
                AuditOutcome? outcomeFilter = null;
                if (!string.IsNullOrWhiteSpace(outcome))
                {
                    if (!Enum.TryParse<AuditOutcome>(outcome, ignoreCase: true, out var o))
                        return Results.Problem(statusCode: 400, title: "unknown outcome", detail: string.Join(", ", Enum.GetNames<AuditOutcome>()));
                    outcomeFilter = o;
                }
                if (!TryDate(from, endOfDay: false, out var fromAt) || !TryDate(to, endOfDay: true, out var toAt))
                    return Results.Problem(statusCode: 400, title: "from/to must be dates (yyyy-MM-dd) or RFC 3339 times");
                var entries = await audit.QueryAsync(new AuditQuery(Blank(user), Blank(action), outcomeFilter, fromAt, toAt, runId, 0, Math.Clamp(take ?? 1000, 1, 10_000)), ct);
                var stamp = time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
                return (format ?? "json").ToLowerInvariant() switch
                {
                    "csv" => Results.File(System.Text.Encoding.UTF8.GetBytes(AuditExport.ToCsv(entries)), "text/csv; charset=utf-8", $"homeops-audit-{stamp}.csv"),
                    "json" => Results.File(System.Text.Encoding.UTF8.GetBytes(AuditExport.ToJson(entries)), "application/json; charset=utf-8", $"homeops-audit-{stamp}.json"),
                    _ => Results.Problem(statusCode: 400, title: "format must be csv or json"),
                };
            })
            .RequireAuthorization(Policies.Viewer).WithName("audit-export");
        return app;
    }

    private static Actor Actor(HttpContext http, IOptions<AuthOptions> auth) => ActorFactory.From(http.User, auth.Value);

    private static RunRequest Request(RunBody body) => new(body.WorkflowId ?? "", body.Parameters ?? [], body.Reason, body.Confirmation);

    private static IResult Ok<T>(T value) => Results.Json(value, Json);

    /// <summary>Accepted → 200; refused (by a guard, the pre-flight, the lock, or the run's state) → 409 with the reasons.</summary>
    private static IResult Command(RunCommandResult r) =>
        Results.Json(r, Json, statusCode: r.Accepted ? StatusCodes.Status200OK : StatusCodes.Status409Conflict);

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static bool TryDate(string? text, bool endOfDay, out DateTimeOffset? at)
    {
        at = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            var start = new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            at = endOfDay ? start.AddDays(1).AddTicks(-1) : start;
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
        {
            at = t;
            return true;
        }
        return false;
    }
}
