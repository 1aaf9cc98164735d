using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>Application tasks of the root Taskfile: <c>apps:deploy-cilium</c> (turns BGP on) and <c>flux:reconcile</c>.</summary>
public static class AppTasks
{
    /// <summary>Helm upgrade to Cilium 1.17.6 with the BGP control plane: every Ready node's session comes up.</summary>
    public static async Task DeployCiliumAsync(TaskEnvironment env, CancellationToken ct)
    {
        const string name = "apps:deploy-cilium";
        var io = env.Io;
        env.Echo(name, "helm repo add cilium https://helm.cilium.io/");
        io.Line("\"cilium\" already exists with the same configuration, skipping");
        env.Echo(name, "helm upgrade --install cilium cilium/cilium --version 1.17.6 --namespace kube-system --set bgpControlPlane.enabled=true --set kubeProxyReplacement=true …");
        await io.WaitAsync(1, ct).ConfigureAwait(false);
        io.Line("Release \"cilium\" has been upgraded. Happy Helming!");
        io.Line("NAME: cilium");
        io.Line("NAMESPACE: kube-system");
        io.Line("STATUS: deployed");
        io.Line("You have successfully installed Cilium with Hubble Relay and Hubble UI.");
        io.Line("Your release version is 1.17.6.");
        env.Echo(name, "sleep 30");
        await io.WaitAsync(1.5, ct).ConfigureAwait(false);
        env.Echo(name, "kubectl wait --for=condition=ready pods -l app.kubernetes.io/name=cilium-agent -n kube-system --timeout=300s || true");
        foreach (var node in await env.Nodes.ListAsync(ct).ConfigureAwait(false))
        {
            if (!SimNodes.IsReady(node) || SimNodes.InMaintenance(node))
            {
                io.Line($"(cilium agent on {node.Name()} not ready: the node is not Ready)");
                continue;
            }
            await env.Nodes.BgpSessionAsync(node.Name(), established: true, ct).ConfigureAwait(false);
            io.Line($"pod/cilium-{SeedName(node.Name())} condition met");
        }
    }

    /// <summary><c>flux reconcile source git flux-system</c> then <c>flux reconcile kustomization flux-system</c>.</summary>
    public static async Task FluxReconcileAsync(TaskEnvironment env, CancellationToken ct)
    {
        env.Echo("flux:reconcile", "flux reconcile source git flux-system");
        if (await FluxCommand.ReconcileAsync(env, "git", "flux-system", "flux-system", withSource: false, ct).ConfigureAwait(false) != 0) throw new CommandFailed(1);
        env.Echo("flux:reconcile", "flux reconcile kustomization flux-system");
        if (await FluxCommand.ReconcileAsync(env, "kustomization", "flux-system", "flux-system", withSource: false, ct).ConfigureAwait(false) != 0) throw new CommandFailed(1);
    }

    private static string SeedName(string node) => HomeOps.Simulator.Seed.SeedIds.Hex("cilium/" + node, 5);
}
