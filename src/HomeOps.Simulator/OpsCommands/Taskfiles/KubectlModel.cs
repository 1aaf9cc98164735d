using System.Text;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Seed;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>
/// The text the Taskfile's <c>kubectl get …</c> and <c>flux get kustomizations</c> checks grep, produced from the simulated
/// cluster in the real tools' layout — so the Taskfile's own text greps (including their defects: <c>grep -c Ready</c>
/// counts NotReady lines, nodes never contain "home-ops", etcd is not a pod) decide as they would for real.
/// The simulator serves no Pods; the pods a check looks for are derived from what runs: a Cilium agent per Ready node,
/// the control-plane static pods per configured node, External Secrets and 1Password Connect while the
/// ClusterSecretStore is Ready, Longhorn while a Longhorn node is Ready, Flux while flux-system is not reset, and one
/// workload per Ready Kustomization.
/// </summary>
public static class KubectlModel
{
    public static async Task<(int Exit, string Output)> RunAsync(TaskRunContext run, IReadOnlyList<string> words, CancellationToken ct)
    {
        var cluster = run.Interpreter.Cluster;
        var nodes = new SimNodes(cluster);
        if (words[0] == "flux")
        {
            if (words.Count >= 3 && words[1] == "get" && words[2] is "kustomizations" or "ks" or "kustomization")
                return (0, await FluxGetAsync(cluster, ct).ConfigureAwait(false));
            throw new TaskRunFailure(TaskShell.NotModelled, $"homeops stand-in: task \"{run.Name}\" runs `{string.Join(" ", words)}` in a pipeline, which the simulator does not model");
        }
        if (!await ApiReachableAsync(cluster, ct).ConfigureAwait(false))
        {
            return (1, "");
        }
        var args = words.Skip(1).ToList();
        string? ns = null;
        string? selector = null;
        var all = false;
        var headers = true;
        var positional = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a is "-n" or "--namespace" && i + 1 < args.Count) ns = args[++i];
            else if (a is "-l" or "--selector" && i + 1 < args.Count) selector = args[++i];
            else if (a is "-A" or "--all-namespaces") all = true;
            else if (a == "--no-headers") headers = false;
            else if (a is "-o" && i + 1 < args.Count) i++;
            else if (!a.StartsWith('-')) positional.Add(a);
        }
        switch (positional)
        {
            case ["get", "nodes" or "node" or "no"]:
                return (0, await NodesTextAsync(nodes, headers, ct).ConfigureAwait(false));
            case ["get", "namespaces" or "ns"]:
                return (0, "NAME   STATUS   AGE\ndefault   Active   1d\nkube-system   Active   1d");
            case ["get", "pods" or "pod" or "po"]:
                var pods = await PodsAsync(cluster, ct).ConfigureAwait(false);
                var rows = pods.Where(p => all || p.Namespace == (ns ?? "default"))
                    .Where(p => selector is null || p.Labels.Contains(selector)).ToList();
                var sb = new StringBuilder();
                if (headers && rows.Count > 0) sb.AppendLine(all ? "NAMESPACE   NAME   READY   STATUS   RESTARTS   AGE" : "NAME   READY   STATUS   RESTARTS   AGE");
                foreach (var p in rows) sb.AppendLine((all ? p.Namespace + "   " : "") + $"{p.Name}   1/1   Running   0   5m");
                return (0, sb.ToString());
            case ["wait", ..]:
                return (0, "condition met");
            default:
                throw new TaskRunFailure(TaskShell.NotModelled, $"homeops stand-in: task \"{run.Name}\" runs `{string.Join(" ", words)}`, which the simulator does not model");
        }
    }

    /// <summary>
    /// Whether <c>kubectl</c> would reach the API: some node is configured (out of maintenance mode) and an etcd member.
    /// After a full reset every node is in maintenance mode and etcd is gone: the API is down until phase 2 bootstraps etcd.
    /// </summary>
    public static async Task<bool> ApiReachableAsync(SimClusterClient cluster, CancellationToken ct)
    {
        foreach (var n in await new SimNodes(cluster).ListAsync(ct).ConfigureAwait(false))
            if (!SimNodes.InMaintenance(n) && SimNodes.EtcdMemberId(n) is not null) return true;
        return false;
    }

    public static async Task<string> NodesTextAsync(SimNodes nodes, bool headers, CancellationToken ct)
    {
        var sb = new StringBuilder();
        if (headers) sb.AppendLine("NAME     STATUS     ROLES           AGE   VERSION");
        foreach (var n in await nodes.ListAsync(ct).ConfigureAwait(false))
        {
            var status = SimNodes.IsReady(n) ? "Ready" : "NotReady";
            if (n["spec"]?["unschedulable"] is JsonValue u && u.TryGetValue<bool>(out var c) && c) status += ",SchedulingDisabled";
            sb.AppendLine($"{n.Name()}   {status}   control-plane   5d   {n["status"]?["nodeInfo"].String("kubeletVersion") ?? "v1.31.1"}");
        }
        return sb.ToString();
    }

    private sealed record Pod(string Namespace, string Name, string Labels);

    private static async Task<List<Pod>> PodsAsync(SimClusterClient cluster, CancellationToken ct)
    {
        var pods = new List<Pod>();
        foreach (var n in await new SimNodes(cluster).ListAsync(ct).ConfigureAwait(false))
        {
            if (SimNodes.InMaintenance(n)) continue;
            foreach (var c in new[] { "kube-apiserver", "kube-controller-manager", "kube-scheduler" })
                pods.Add(new Pod("kube-system", $"{c}-{n.Name()}", $"tier=control-plane,component={c}"));
            if (SimNodes.IsReady(n)) pods.Add(new Pod("kube-system", $"cilium-{SeedIds.Hex("cilium/" + n.Name(), 5)}", "k8s-app=cilium,app.kubernetes.io/name=cilium-agent"));
        }
        var store = await cluster.GetAsync(Kinds.ClusterSecretStore, null, "onepassword-connect", ct).ConfigureAwait(false);
        if (store?.Condition("Ready").String("status") == "True")
        {
            pods.Add(new Pod("external-secrets-system", "external-secrets-7d9c8b6f5-abcde", "app.kubernetes.io/name=external-secrets"));
            pods.Add(new Pod("onepassword-connect", "onepassword-connect-6b5f9d7c8-fghij", "app=onepassword-connect"));
        }
        if ((await cluster.ListAsync(Kinds.LonghornNode, ct: ct).ConfigureAwait(false)).Any(l => l.Condition("Ready").String("status") == "True"))
            pods.Add(new Pod("longhorn-system", "longhorn-manager-klmno", "app=longhorn-manager"));
        foreach (var k in await cluster.ListAsync(Kinds.Kustomization, ct: ct).ConfigureAwait(false))
        {
            if (k["metadata"]?["annotations"]?[SimFlux.ResetAnnotation] is not null) continue;
            if (k.Name() == "flux-system") { pods.Add(new Pod("flux-system", "kustomize-controller-5f7d8c9b6-pqrst", "app=kustomize-controller")); continue; }
            if (!SimFlux.IsReady(k)) continue;
            var app = k.Name().Replace("infrastructure-", "", StringComparison.Ordinal).Replace("apps-", "", StringComparison.Ordinal);
            pods.Add(new Pod(app, $"{app}-{SeedIds.Hex("pod/" + app, 5)}", $"app={app}"));
        }
        return pods;
    }

    /// <summary><c>flux get kustomizations</c> as flux prints it: upper-case headers, READY True/False, the Ready message.</summary>
    private static async Task<string> FluxGetAsync(SimClusterClient cluster, CancellationToken ct)
    {
        var sb = new StringBuilder("NAME\tREVISION\tSUSPENDED\tREADY\tMESSAGE\n");
        foreach (var k in (await cluster.ListAsync(Kinds.Kustomization, "flux-system", ct).ConfigureAwait(false)).OrderBy(k => k.Name(), StringComparer.Ordinal))
        {
            var ready = k.Condition("Ready");
            sb.Append(k.Name()).Append('\t').Append(k["status"].String("lastAppliedRevision") ?? "").Append('\t')
              .Append(SimFlux.IsSuspended(k) ? "True" : "False").Append('\t').Append(ready.String("status") ?? "Unknown").Append('\t')
              .Append(ready.String("message") ?? "").Append('\n');
        }
        return sb.ToString();
    }
}
