using System.Text.Json;
using HomeOps.Dashboard.Auth;
using HomeOps.Operations.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Operations;

/// <summary>
/// Every refused attempt is on record, including the ones the authorization middleware stops before an endpoint (and
/// so the engine) ever sees them: a signed-in user forbidden from an operations, Flux, audit or pod-log endpoint is audited as
/// <c>auth.refused</c>, then the default handler answers (403). Anonymous requests are only challenged (401), not
/// audited: anyone on the network could otherwise fill the audit table.
/// </summary>
public sealed class OperatorRefusalAudit(IAuditLog audit, IOptions<AuthOptions> authOptions, TimeProvider time, ILogger<OperatorRefusalAudit> log)
    : IAuthorizationMiddlewareResultHandler
{
    private static readonly string[] AuditedPrefixes = ["/api/v1/operations", "/api/v1/flux", "/api/v1/audit", "/api/v1/pods"];

    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public static bool IsAudited(PathString path) => AuditedPrefixes.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated == true && IsAudited(context.Request.Path))
        {
            try
            {
                var actor = ActorFactory.From(context.User, authOptions.Value);
                var now = time.GetUtcNow();
                var isOperatorEndpoint = context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == Policies.Operator) == true;
                await audit.RecordAsync(new AuditEntry
                {
                    At = now,
                    User = actor.User,
                    Groups = string.Join(",", actor.Groups),
                    Action = AuditAction.AuthRefused.Name,
                    Target = $"{context.Request.Method} {context.Request.Path}",
                    Parameters = JsonSerializer.Serialize(new { method = context.Request.Method, path = context.Request.Path.Value }),
                    StartedAt = now,
                    EndedAt = now,
                    Outcome = AuditOutcome.Refused,
                    Message = isOperatorEndpoint
                        ? $"{actor.User} is not an operator (operator group membership is required for every action)"
                        : $"{actor.User} is not in a viewer or operator group",
                }, context.RequestAborted);
            }
            catch (Exception ex)
            {
                // The refusal itself must still happen; the audit write failing is logged loudly.
                log.LogError(ex, "Could not audit a refused request to {Path}", context.Request.Path);
            }
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
