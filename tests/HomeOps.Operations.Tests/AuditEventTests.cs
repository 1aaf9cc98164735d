using HomeOps.Operations.Audit;
using HomeOps.Operations.Flux;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Tests.Support;
using HomeOps.Simulator;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace HomeOps.Operations.Tests;

/// <summary>Audit entries as Kubernetes Events on their targets: which object, what the Event says, and that a failing sink never fails an action.</summary>
public class AuditEventTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void A_run_is_recorded_on_each_of_its_nodes_a_flux_action_on_its_object_and_a_run_without_nodes_on_the_dashboard_namespace()
    {
        var reset = AuditEventSubjects.Of(new AuditEntry { Action = "run.start", Target = "cluster:safe-reset mini02,mini03" }, "homeops-dashboard");
        Assert.Equal(["mini02", "mini03"], reset.Select(s => s.Name));
        Assert.All(reset, s => Assert.Equal(("v1", "Node", null, "default"), (s.ApiVersion, s.Kind, s.Namespace, s.EventNamespace)));

        var flux = Assert.Single(AuditEventSubjects.Of(new AuditEntry
        {
            Action = "flux.suspend", Target = "Kustomization flux-system/apps",
            Parameters = """{"kind":"Kustomization","namespace":"flux-system","name":"apps"}""",
        }, "homeops-dashboard"));
        Assert.Equal(new AuditEventSubject("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "flux-system", "apps", "flux-system"), flux);

        var phase = Assert.Single(AuditEventSubjects.Of(new AuditEntry { Action = "run.start", Target = "bootstrap:phase-3" }, "homeops-dashboard"));
        Assert.Equal(("Namespace", "homeops-dashboard", "homeops-dashboard"), (phase.Kind, phase.Name, phase.EventNamespace));

        Assert.Empty(AuditEventSubjects.Of(new AuditEntry { Action = "auth.refused", Target = "POST /api/v1/operations/runs/trigger" }, "homeops-dashboard"));
        // Hostile text in a target never becomes an object name.
        Assert.DoesNotContain(AuditEventSubjects.Of(new AuditEntry { Action = "run.start", Target = "x $(rm -rf /),mini0;1" }, "homeops-dashboard"), s => s.Kind == "Node");
        Assert.Empty(AuditEventSubjects.Of(new AuditEntry { Action = "flux.reconcile", Parameters = "not json" }, "homeops-dashboard"));
    }

    [Fact]
    public void The_event_says_who_did_what_and_how_it_ended_but_never_the_confirmation_or_parameters()
    {
        var entry = new AuditEntry
        {
            Id = 42, At = DateTimeOffset.UtcNow, User = "admin", Action = "run.start", Target = "cluster:safe-reset mini02",
            Parameters = """{"nodes":"mini02","secretish":"hunter2"}""", Confirmation = "SAFE-RESET", Reason = "drill",
            Outcome = AuditOutcome.Refused, Message = "step-up sign-in required",
        };
        var ev = KubernetesEventAuditSink.Build(entry, new AuditEventSubject("v1", "Node", null, "mini02", "default"), "pod-1");
        Assert.Equal(("HomeOpsAction", "Warning", "run.start", "default"), (ev.Reason, ev.Type, ev.Action, ev.Metadata.NamespaceProperty));
        Assert.Equal(("Node", "mini02"), (ev.InvolvedObject.Kind, ev.InvolvedObject.Name));
        Assert.StartsWith("mini02.homeops-42-refused-", ev.Metadata.Name);
        Assert.Equal("admin run.start cluster:safe-reset mini02: Refused — step-up sign-in required", ev.Message);
        Assert.DoesNotContain("hunter2", ev.Message);
        Assert.DoesNotContain("SAFE-RESET", ev.Message);
    }

    [Fact]
    public async Task A_flux_action_against_the_simulator_leaves_an_event_on_the_kustomization_readable_through_the_API()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Scenarios = { Enabled = false } }, cancellationToken: Ct);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(simulator.KubeconfigPath));
        using var dir = new TempDir();
        var db = new OperationsDatabase(new DatabaseOptions(), new OperationsOptions { DataDirectory = dir.Path });
        await db.EnsureCreatedAsync(Ct);
        await using var sink = new KubernetesEventAuditSink(() => client, "homeops-dashboard", "test-instance");
        var audit = new EfAuditLog(db, [sink]);
        var flux = new FluxActions(new KubernetesFluxObjectClient(client), audit);

        var r = await flux.SuspendAsync(new FluxObjectRef("Kustomization", "flux-system", "flux-system"), Actors.Operator(), "freeze for the drill", Ct);
        Assert.True(r.Accepted, r.Message);

        Corev1Event? found = null;
        await Wait.Until(async () =>
        {
            var list = await client.CoreV1.ListNamespacedEventAsync("flux-system", cancellationToken: Ct);
            found = list.Items.FirstOrDefault(e => e.Metadata.Annotations is { } a && a.TryGetValue("homeops.dashboard/audit-id", out var id) && id == r.AuditId.ToString());
            return found is not null;
        }, "the audit Event in flux-system");
        Assert.Equal(("Kustomization", "flux-system", "flux-system"), (found!.InvolvedObject.Kind, found.InvolvedObject.NamespaceProperty, found.InvolvedObject.Name));
        Assert.Equal(("HomeOpsAction", "Normal"), (found.Reason, found.Type));
        Assert.Equal("admin flux.suspend Kustomization flux-system/flux-system: Succeeded — suspended Kustomization flux-system/flux-system", found.Message);
        Assert.NotNull(found.Metadata.Uid);
    }

    [Fact]
    public async Task An_unreachable_API_never_fails_or_delays_the_action_and_the_failed_write_is_counted()
    {
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = $"http://127.0.0.1:{Ports.Closed()}" });
        using var dir = new TempDir();
        var db = new OperationsDatabase(new DatabaseOptions(), new OperationsOptions { DataDirectory = dir.Path });
        await db.EnsureCreatedAsync(Ct);
        await using var sink = new KubernetesEventAuditSink(() => client, "homeops-dashboard", "test-instance");
        var audit = new EfAuditLog(db, [sink]);

        var entry = await audit.RecordAsync(new AuditEntry
        {
            At = DateTimeOffset.UtcNow, User = "admin", Action = "run.start", Target = "cluster:safe-reboot mini01", Outcome = AuditOutcome.Started,
        }, Ct);

        Assert.True(entry.Id > 0);
        Assert.Single(await audit.QueryAsync(new AuditQuery(), Ct));
        await Wait.Until(() => sink.Failed == 1, "the failed Event write to be counted");
        Assert.Equal(0, sink.Written);
    }

    [Fact]
    public async Task An_event_refused_in_a_namespace_without_a_role_binding_is_logged_once_and_never_fails_the_action_or_other_namespaces()
    {
        // k8s/rbac-audit-events.yaml grants Events create per namespace: a Flux object in a namespace missing there gets 403.
        using var api = new LoopbackApi();
        api.Answers["POST /api/v1/namespaces/unlisted/events"] = (403,
            """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403,"message":"events is forbidden: User \"system:serviceaccount:homeops-dashboard:homeops-dashboard\" cannot create resource \"events\" in API group \"\" in the namespace \"unlisted\""}""");
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = api.BaseUri });
        using var dir = new TempDir();
        var db = new OperationsDatabase(new DatabaseOptions(), new OperationsOptions { DataDirectory = dir.Path });
        await db.EnsureCreatedAsync(Ct);
        var log = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(LogLevel.Debug));
        await using var sink = new KubernetesEventAuditSink(() => client, "homeops-dashboard", "test-instance", factory.CreateLogger<KubernetesEventAuditSink>());
        var audit = new EfAuditLog(db, [sink]);

        AuditEntry Flux(string ns) => new()
        {
            At = DateTimeOffset.UtcNow, User = "admin", Action = "flux.reconcile", Target = $"HelmRelease {ns}/app", Outcome = AuditOutcome.Succeeded,
            Parameters = $$"""{"kind":"HelmRelease","namespace":"{{ns}}","name":"app"}""",
        };
        var first = await audit.RecordAsync(Flux("unlisted"), Ct);
        var second = await audit.RecordAsync(Flux("unlisted"), Ct);
        var bound = await audit.RecordAsync(Flux("flux-system"), Ct);

        Assert.All(new[] { first, second, bound }, e => Assert.True(e.Id > 0));
        Assert.Equal(3, (await audit.QueryAsync(new AuditQuery(), Ct)).Count);
        await Wait.Until(() => sink.Failed == 2 && sink.Written == 1, "two refused Events and one written");
        Assert.Equal(["unlisted"], sink.ForbiddenNamespaces);
        Assert.Contains(api.Objects.Keys, k => k.StartsWith("/api/v1/namespaces/flux-system/events/", StringComparison.Ordinal));
        // One warning naming the namespace and what to do, not one per entry.
        var text = log.Text;
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(text, "may not create Events in namespace unlisted"));
        Assert.Contains("k8s/rbac-audit-events.yaml", text);
    }
}
