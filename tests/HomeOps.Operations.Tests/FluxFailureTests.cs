using HomeOps.Operations.Audit;
using HomeOps.Operations.Flux;
using HomeOps.Operations.Tests.Support;

namespace HomeOps.Operations.Tests;

/// <summary>
/// A Flux action the guards allow but the Kubernetes API does not carry out (forbidden, gone, unreachable) is a Failed
/// result with the API's reason, audited as Failed — never an exception out of the action (the endpoint would turn
/// that into a 500 with nothing on record).
/// </summary>
public class FluxFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string KsPath = "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps";
    private static readonly FluxObjectRef Apps = new("Kustomization", "flux-system", "apps");

    [Fact]
    public async Task A_patch_forbidden_by_RBAC_is_a_failure_with_the_API_message_and_audited_as_failed()
    {
        using var api = new LoopbackApi();
        api.Objects[KsPath] = """{"kind":"Kustomization","metadata":{"name":"apps"},"spec":{}}""";
        api.Answers[$"PATCH {KsPath}"] = (403, """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403,"message":"kustomizations.kustomize.toolkit.fluxcd.io \"apps\" is forbidden: User \"system:serviceaccount:homeops-dashboard:homeops-dashboard\" cannot patch resource"}""");
        await using var env = new FluxRig(api.BaseUri, DateTimeOffset.UtcNow);

        var r = await env.Actions.SuspendAsync(Apps, Actors.Operator(), "freeze for the upgrade", Ct);

        Assert.False(r.Accepted);
        Assert.True(r.Failed);
        Assert.Contains("403", r.Message);
        Assert.Contains("cannot patch resource", r.Message);
        var entry = Assert.Single(await env.Audit.QueryAsync(new AuditQuery(Action: "flux.suspend"), Ct));
        Assert.Equal((AuditOutcome.Failed, r.AuditId, "freeze for the upgrade"), (entry.Outcome, entry.Id, entry.Reason));
        Assert.Equal(r.Message, entry.Message);
    }

    [Fact]
    public async Task An_object_deleted_between_the_read_and_the_patch_is_a_failure_naming_404()
    {
        using var api = new LoopbackApi();
        api.Objects[KsPath] = """{"kind":"Kustomization","metadata":{"name":"apps"},"spec":{"sourceRef":{"kind":"GitRepository","name":"flux-system"}}}""";
        api.Answers[$"PATCH {KsPath}"] = (404, """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,"message":"kustomizations \"apps\" not found"}""");
        api.Objects["/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories/flux-system"] = """{"kind":"GitRepository","spec":{}}""";
        await using var env = new FluxRig(api.BaseUri, DateTimeOffset.UtcNow);

        var r = await env.Actions.ReconcileAsync(Apps, withSource: true, Actors.Operator(), Ct);

        Assert.True(r.Failed, r.ToString());
        Assert.Contains("404", r.Message);
        // What did happen is said too: the source was annotated before the target's patch failed.
        Assert.Contains("requested reconcile of source GitRepository flux-system/flux-system", r.Message);
        Assert.Equal(AuditOutcome.Failed, Assert.Single(await env.Audit.QueryAsync(new AuditQuery(Action: "flux.reconcile-with-source"), Ct)).Outcome);
    }

    [Fact]
    public async Task An_unreachable_API_server_is_a_failure_for_every_action_and_each_attempt_is_audited()
    {
        await using var env = new FluxRig($"http://127.0.0.1:{Ports.Closed()}/", DateTimeOffset.UtcNow);

        var results = new[]
        {
            await env.Actions.ReconcileAsync(Apps, withSource: false, Actors.Operator(), Ct),
            await env.Actions.SuspendAsync(Apps, Actors.Operator(), "why", Ct),
            await env.Actions.ResumeAsync(Apps, Actors.Operator(), null, Ct),
            await env.Actions.ResumeAndReconcileAsync(Apps, Actors.Operator(), null, Ct),
        };

        Assert.All(results, r =>
        {
            Assert.True(r.Failed, r.ToString());
            Assert.Contains("unreachable", r.Message);
            Assert.DoesNotContain("   at ", r.Message); // no stack trace
        });
        var failed = await env.Audit.QueryAsync(new AuditQuery(Outcome: AuditOutcome.Failed), Ct);
        Assert.Equal(["flux.reconcile", "flux.resume", "flux.resume-and-reconcile", "flux.suspend"], failed.Select(e => e.Action).Order());
    }

    [Fact]
    public async Task A_guard_refusal_is_still_a_refusal_not_a_failure()
    {
        await using var env = new FluxRig($"http://127.0.0.1:{Ports.Closed()}/", DateTimeOffset.UtcNow);
        var r = await env.Actions.SuspendAsync(Apps, Actors.Viewer(), "x", Ct);
        Assert.False(r.Failed);
        Assert.Contains("not an operator", r.Message);
    }
}
