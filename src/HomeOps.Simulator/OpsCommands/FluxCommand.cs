using System.Text.Json.Nodes;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>
/// The simulator's stand-in for the <c>flux</c> CLI: <c>reconcile</c> (annotates <c>requestedAt</c>, then does what the
/// controller would: the source fetches a new revision, the Kustomization applies it), <c>suspend</c>, <c>resume</c>,
/// <c>get kustomizations</c>. Output and exit codes as the real CLI (✗ and exit 1 for a suspended or missing object).
/// </summary>
public static class FluxCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, ToolConsole io, CancellationToken ct = default)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help")
        {
            io.Line("Command line utility for assembling Kubernetes CD pipelines the GitOps way (homeops simulator stand-in)");
            return 0;
        }
        if (args[0] == "version")
        {
            io.Line("flux: v2.6.4 (homeops simulator stand-in)");
            return 0;
        }
        var positional = new List<string>();
        var ns = "flux-system";
        var withSource = false;
        for (var i = 1; i < args.Count; i++)
        {
            var a = args[i];
            if (a is "-n" or "--namespace" && i + 1 < args.Count) ns = args[++i];
            else if (a.StartsWith("--namespace=", StringComparison.Ordinal)) ns = a["--namespace=".Length..];
            else if (a == "--with-source") withSource = true;
            else if (a is "-A" or "--all-namespaces") ns = "";
            else if (!a.StartsWith('-')) positional.Add(a);
        }
        if (io.Kubeconfig is not { } kubeconfig)
        {
            io.Err("✗ no kubeconfig: set KUBECONFIG");
            return 1;
        }
        using var cluster = SimClusterClient.FromKubeconfig(kubeconfig);
        var env = new TaskEnvironment(io, cluster, new Dictionary<string, string>(), yes: true);
        // "flux reconcile source git NAME": the kind is two words.
        if (positional.FirstOrDefault() == "source") positional.RemoveAt(0);
        var kind = positional.ElementAtOrDefault(0);
        var name = positional.ElementAtOrDefault(1);
        switch (args[0])
        {
            case "reconcile" when kind is not null && name is not null:
                return await ReconcileAsync(env, kind, ns, name, withSource, ct).ConfigureAwait(false);
            case "suspend" or "resume" when kind is not null && name is not null:
                return await SuspendOrResumeAsync(env, args[0] == "suspend", kind, ns, name, ct).ConfigureAwait(false);
            case "get" when kind is not null:
                return await GetAsync(env, kind, ns, ct).ConfigureAwait(false);
            default:
                io.Err($"✗ unknown or incomplete command: flux {string.Join(" ", args)}");
                return 1;
        }
    }

    public static async Task<int> ReconcileAsync(TaskEnvironment env, string cliKind, string ns, string name, bool withSource, CancellationToken ct)
    {
        var io = env.Io;
        if (SimFlux.KindFor(cliKind) is not { } kind)
        {
            io.Err($"✗ unknown kind '{cliKind}'");
            return 1;
        }
        var obj = await env.Flux.GetAsync(kind, ns, name, ct).ConfigureAwait(false);
        if (obj is null)
        {
            io.Err($"✗ {kind.Plural}.{kind.Group} \"{name}\" not found");
            return 1;
        }
        if (SimFlux.IsSuspended(obj))
        {
            io.Err("✗ resource is suspended");
            return 1;
        }
        if (withSource && obj["spec"]?["sourceRef"] is JsonObject src && src.String("kind") == "GitRepository")
        {
            var code = await ReconcileAsync(env, "git", src.String("namespace") ?? ns, src.String("name") ?? "", withSource: false, ct).ConfigureAwait(false);
            if (code != 0) return code;
        }
        io.Line($"► annotating {kind.Kind} {name} in {ns} namespace");
        var requestedAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffK");
        await env.Cluster.PatchAsync(kind, ns, name,
            new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [SimFlux.RequestedAtAnnotation] = requestedAt } } }, status: false, ct).ConfigureAwait(false);
        io.Line($"✔ {kind.Kind} annotated");
        io.Line($"◎ waiting for {kind.Kind} reconciliation");
        await io.WaitAsync(0.5, ct).ConfigureAwait(false);
        if (kind.Key == HomeOps.Cluster.Model.Kinds.GitRepository.Key)
            io.Line($"✔ fetched revision {await env.Flux.ReconcileSourceAsync(ns, name, requestedAt, ct).ConfigureAwait(false)}");
        else if (kind.Key == HomeOps.Cluster.Model.Kinds.Kustomization.Key)
        {
            io.Line($"✔ {kind.Kind} reconciliation completed");
            io.Line($"✔ applied revision {await env.Flux.ReconcileKustomizationAsync(ns, name, requestedAt, ct).ConfigureAwait(false)}");
        }
        else
        {
            io.Line($"✔ {kind.Kind} reconciliation completed");
            io.Line($"✔ applied revision {await env.Flux.ReconcileHelmReleaseAsync(ns, name, requestedAt, ct).ConfigureAwait(false)}");
        }
        return 0;
    }

    private static async Task<int> SuspendOrResumeAsync(TaskEnvironment env, bool suspend, string cliKind, string ns, string name, CancellationToken ct)
    {
        var io = env.Io;
        if (SimFlux.KindFor(cliKind) is not { } kind) { io.Err($"✗ unknown kind '{cliKind}'"); return 1; }
        if (await env.Flux.GetAsync(kind, ns, name, ct).ConfigureAwait(false) is null) { io.Err($"✗ {kind.Plural}.{kind.Group} \"{name}\" not found"); return 1; }
        io.Line($"► {(suspend ? "suspending" : "resuming")} {kind.Kind.ToLowerInvariant()} {name} in {ns} namespace");
        await env.Flux.SetSuspendedAsync(kind, ns, name, suspend, ct).ConfigureAwait(false);
        await env.Flux.ObserveGenerationAsync(kind, ns, name, ct).ConfigureAwait(false);
        io.Line($"✔ {kind.Kind.ToLowerInvariant()} {(suspend ? "suspended" : "resumed")}");
        if (!suspend) return await ReconcileAsync(env, cliKind, ns, name, withSource: false, ct).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> GetAsync(TaskEnvironment env, string cliKind, string ns, CancellationToken ct)
    {
        if (SimFlux.KindFor(cliKind) is not { } kind) { env.Io.Err($"✗ unknown kind '{cliKind}'"); return 1; }
        env.Io.Line($"{"NAMESPACE",-12} {"NAME",-40} {"REVISION",-30} {"SUSPENDED",-9} {"READY",-5} MESSAGE");
        foreach (var o in (await env.Flux.ListAsync(kind, ct).ConfigureAwait(false)).Where(o => ns.Length == 0 || o.Namespace() == ns))
        {
            var ready = o.Condition("Ready");
            var revision = o["status"].String("lastAppliedRevision") ?? o["status"]?["artifact"].String("revision") ?? "";
            env.Io.Line($"{o.Namespace(),-12} {o.Name(),-40} {Short(revision),-30} {(SimFlux.IsSuspended(o) ? "True" : "False"),-9} {ready.String("status") ?? "Unknown",-5} {ready.String("message")}");
        }
        return 0;
    }

    private static string Short(string revision) => revision.Length > 30 ? revision[..30] : revision;
}
