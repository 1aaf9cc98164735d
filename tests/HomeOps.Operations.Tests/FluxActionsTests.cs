using System.Text.Json;
using HomeOps.Operations.Audit;
using HomeOps.Operations.Flux;
using HomeOps.Operations.Tests.Support;

namespace HomeOps.Operations.Tests;

public class FluxActionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset At = new(2026, 11, 25, 9, 30, 15, 123, TimeSpan.Zero);

    private const string KsPath = "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/infrastructure-longhorn";
    private const string HrPath = "/apis/helm.toolkit.fluxcd.io/v2/namespaces/longhorn-system/helmreleases/longhorn";

    [Fact]
    public void Reconcile_body_sets_requestedAt_in_RFC3339()
    {
        Assert.Equal("""{"metadata":{"annotations":{"reconcile.fluxcd.io/requestedAt":"2026-11-25T09:30:15.123Z"}}}""", FluxPatchBodies.Reconcile(At));
        Assert.Equal("2026-11-25T09:30:15Z", FluxPatchBodies.Rfc3339(new DateTimeOffset(2026, 11, 25, 10, 30, 15, TimeSpan.FromHours(1))));
    }

    [Fact]
    public void Suspend_body_sets_spec_suspend_and_records_who_and_why()
    {
        var body = JsonDocument.Parse(FluxPatchBodies.Suspend("admin", "longhorn upgrade \"window\"", At)).RootElement;
        Assert.True(body.GetProperty("spec").GetProperty("suspend").GetBoolean());
        var a = body.GetProperty("metadata").GetProperty("annotations");
        Assert.Equal("admin", a.GetProperty("homeops.dashboard/suspended-by").GetString());
        Assert.Equal("longhorn upgrade \"window\"", a.GetProperty("homeops.dashboard/suspend-reason").GetString());
        Assert.Equal("2026-11-25T09:30:15.123Z", a.GetProperty("homeops.dashboard/suspended-at").GetString());
        Assert.Equal(JsonValueKind.Null, a.GetProperty("homeops.dashboard/resumed-by").ValueKind); // merge patch: remove
    }

    [Fact]
    public void Resume_and_reconcile_is_one_patch_that_unsuspends_and_requests_a_reconcile()
    {
        Assert.Equal(
            """{"metadata":{"annotations":{"homeops.dashboard/suspended-by":null,"homeops.dashboard/suspend-reason":null,"homeops.dashboard/suspended-at":null,"homeops.dashboard/resumed-by":"admin","homeops.dashboard/resume-reason":"done","homeops.dashboard/resumed-at":"2026-11-25T09:30:15.123Z","reconcile.fluxcd.io/requestedAt":"2026-11-25T09:30:15.123Z"}},"spec":{"suspend":false}}""",
            FluxPatchBodies.ResumeAndReconcile("admin", "done", At));
        var resume = JsonDocument.Parse(FluxPatchBodies.Resume("admin", null, At)).RootElement;
        Assert.False(resume.GetProperty("spec").GetProperty("suspend").GetBoolean());
        Assert.False(resume.GetProperty("metadata").GetProperty("annotations").TryGetProperty("reconcile.fluxcd.io/requestedAt", out _));
    }

    [Fact]
    public void The_reconcile_source_of_a_kustomization_and_a_helmrelease()
    {
        var ks = FluxObjectReader.Read(new("Kustomization", "flux-system", "apps"),
            JsonDocument.Parse("""{"spec":{"suspend":true,"sourceRef":{"kind":"GitRepository","name":"flux-system"}}}""").RootElement);
        Assert.True(ks.Suspended);
        Assert.Equal(new FluxObjectRef("GitRepository", "flux-system", "flux-system"), ks.Source);
        var hr = FluxObjectReader.Read(new("HelmRelease", "longhorn-system", "longhorn"),
            JsonDocument.Parse("""{"spec":{"chart":{"spec":{"chart":"longhorn","sourceRef":{"kind":"HelmRepository","name":"longhorn","namespace":"flux-system"}}}}}""").RootElement);
        Assert.False(hr.Suspended);
        Assert.Equal(new FluxObjectRef("HelmChart", "flux-system", "longhorn-system-longhorn"), hr.Source);
    }

    [Fact]
    public async Task Reconcile_patches_through_KubernetesClient_with_a_merge_patch_and_is_audited()
    {
        using var api = new LoopbackApi();
        api.Objects[KsPath] = """{"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization","metadata":{"name":"infrastructure-longhorn","namespace":"flux-system"},"spec":{"sourceRef":{"kind":"GitRepository","name":"flux-system"}}}""";
        api.Objects["/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories/flux-system"] = """{"kind":"GitRepository","spec":{}}""";
        await using var env = new FluxRig(api.BaseUri, At);

        var r = await env.Actions.ReconcileAsync(new("Kustomization", "flux-system", "infrastructure-longhorn"), withSource: true, Actors.Operator(), Ct);
        Assert.True(r.Accepted, r.Message);
        var patches = api.Requests.Where(q => q.Method == "PATCH").ToList();
        Assert.Equal(2, patches.Count);
        Assert.Equal("/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories/flux-system", patches[0].Path);
        Assert.Equal(KsPath, patches[1].Path);
        Assert.All(patches, p => Assert.StartsWith("application/merge-patch+json", p.ContentType));
        Assert.Equal(FluxPatchBodies.Reconcile(env.Now), patches[1].Body);

        var entry = Assert.Single(await env.Audit.QueryAsync(new AuditQuery(Action: "flux.reconcile-with-source"), Ct));
        Assert.Equal((AuditOutcome.Succeeded, "Kustomization flux-system/infrastructure-longhorn"), (entry.Outcome, entry.Target));
    }

    [Fact]
    public async Task A_plain_reconcile_of_a_suspended_object_is_refused_suggesting_resume_and_reconcile()
    {
        using var api = new LoopbackApi();
        api.Objects[HrPath] = """{"kind":"HelmRelease","metadata":{"name":"longhorn"},"spec":{"suspend":true,"chart":{"spec":{"sourceRef":{"kind":"HelmRepository","name":"longhorn","namespace":"flux-system"}}}}}""";
        await using var env = new FluxRig(api.BaseUri, At);
        var target = new FluxObjectRef("HelmRelease", "longhorn-system", "longhorn");

        var r = await env.Actions.ReconcileAsync(target, withSource: false, Actors.Operator(), Ct);
        Assert.False(r.Accepted);
        Assert.Contains("suspended", r.Message);
        Assert.Contains("resume-and-reconcile", r.Message);
        Assert.DoesNotContain(api.Requests, q => q.Method == "PATCH");
        Assert.Equal(AuditOutcome.Refused, Assert.Single(await env.Audit.QueryAsync(new AuditQuery(Action: "flux.reconcile"), Ct)).Outcome);

        var rr = await env.Actions.ResumeAndReconcileAsync(target, Actors.Operator(), "upgrade done", Ct);
        Assert.True(rr.Accepted, rr.Message);
        var patch = Assert.Single(api.Requests, q => q.Method == "PATCH");
        Assert.Equal(HrPath, patch.Path);
        Assert.Equal(FluxPatchBodies.ResumeAndReconcile("admin", "upgrade done", env.Now), patch.Body);
    }

    [Fact]
    public async Task Suspend_needs_an_operator_and_a_reason()
    {
        using var api = new LoopbackApi();
        api.Objects[KsPath] = """{"kind":"Kustomization","spec":{}}""";
        await using var env = new FluxRig(api.BaseUri, At);
        var target = new FluxObjectRef("Kustomization", "flux-system", "infrastructure-longhorn");

        Assert.Contains("not an operator", (await env.Actions.SuspendAsync(target, Actors.Viewer(), "x", Ct)).Message);
        Assert.Contains("reason", (await env.Actions.SuspendAsync(target, Actors.Operator(), " ", Ct)).Message);
        Assert.Contains("not a Flux kind", (await env.Actions.SuspendAsync(target with { Kind = "Deployment" }, Actors.Operator(), "x", Ct)).Message);
        Assert.Contains("does not exist", (await env.Actions.SuspendAsync(target with { Name = "nope" }, Actors.Operator(), "x", Ct)).Message);
        var ok = await env.Actions.SuspendAsync(target, Actors.Operator(), "debugging the longhorn upgrade", Ct);
        Assert.True(ok.Accepted);
        Assert.Equal(FluxPatchBodies.Suspend("admin", "debugging the longhorn upgrade", env.Now), Assert.Single(api.Requests, q => q.Method == "PATCH").Body);
        Assert.Equal(4, (await env.Audit.QueryAsync(new AuditQuery(Action: "flux.suspend", Outcome: AuditOutcome.Refused), Ct)).Count);
    }
}
