using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>The root Taskfile's cluster tasks (cluster brief §2.5, §2.6), played against the simulated cluster.</summary>
public static class ClusterTasks
{
    private const string Reset = "cluster:safe-reset";

    /// <summary>
    /// <c>task cluster:safe-reset CONFIRM=SAFE-RESET NODES=ip,…</c>: wipes only STATE and EPHEMERAL. The chosen nodes go
    /// down into maintenance mode; the task ends with them there (exit 0, PARTIAL for 1–2 of 3), as the real one does.
    /// </summary>
    public static async Task SafeResetAsync(TaskEnvironment env, CancellationToken ct)
    {
        var io = env.Io;
        if (env.Var("CONFIRM") != "SAFE-RESET")
        {
            io.Line("❌ Safe reset requires explicit confirmation");
            io.Line("Usage: task cluster:safe-reset CONFIRM=SAFE-RESET [NODES=172.29.51.11,172.29.51.12]");
            throw new CommandFailed(1);
        }
        var ips = env.NodeIps(env.Var("NODES"));
        io.Line("🚨 SAFE CLUSTER RESET - preserves the Talos OS, wipes user data and configuration");
        io.Line($"⚠️  This resets: {string.Join(",", ips)}");
        io.Line("⚠️  Wiped: STATE (machine config, node identity) and EPHEMERAL (/var: etcd, kubelet, images, /var/lib/longhorn)");
        io.Line("✅ Preserved: the Talos OS installation and non-system disks (USB SSDs)");
        io.Line("⚠️  The cluster must be re-bootstrapped after the reset");
        io.Line("⚠️  NEVER use 'talosctl reset' without partition specifications");

        var nodes = await env.Nodes.ListAsync(ct).ConfigureAwait(false);
        if (nodes.FirstOrDefault() is { } first) io.Line($"📝 Recorded node state: {first.Name()} uid {first["metadata"].String("uid")}");

        io.Line("🔄 Resetting nodes simultaneously...");
        env.Echo(Reset, $"talosctl reset --nodes {string.Join(",", ips)} --system-labels-to-wipe STATE --system-labels-to-wipe EPHEMERAL --graceful=false --wait=false");
        var accepted = new List<string>();
        foreach (var ip in ips)
        {
            var name = TaskEnvironment.IsIPv4(ip) ? await env.Nodes.NameForIpAsync(ip, ct).ConfigureAwait(false) : null;
            if (name is null)
            {
                io.Err($"error resetting {ip}: rpc error: code = Unavailable desc = connection error: dial tcp {ip}:50000: connect: no route to host");
                continue;
            }
            await env.Nodes.GoDownAsync(name, reset: true, ct).ConfigureAwait(false);
            io.Line($"   {ip} ({name}): reset accepted (STATE, EPHEMERAL)");
            accepted.Add(name);
        }
        if (accepted.Count == 0)
        {
            io.Line("❌ No node accepted the reset. Manual steps: talosctl reset --nodes <ip> --system-labels-to-wipe STATE --system-labels-to-wipe EPHEMERAL --insecure --reboot");
            throw new CommandFailed(1);
        }
        var fullCluster = accepted.Count >= nodes.Count && nodes.Count > 0;
        // --graceful=false skips leaving etcd: a partial reset leaves the reset nodes listed as (stale) members.
        await env.Nodes.ForgetEtcdIfNoMemberSurvivedAsync(ct).ConfigureAwait(false);
        if (fullCluster)
        {
            await env.Flux.KnockDownAllAsync(ct).ConfigureAwait(false);
            await new SimSecrets(env.Cluster).SetAsync(up: false, ct).ConfigureAwait(false);
        }

        io.Line("⏳ Waiting 30 seconds for the reset to complete...");
        await io.WaitAsync(1.5, ct).ConfigureAwait(false);
        io.Line("🔍 Checking node connectivity (ping every 15 s, up to 300 s)...");
        io.Line($"   Nodes online: {TaskEnvironment.AllNodeIps.Count}/{TaskEnvironment.AllNodeIps.Count}");
        io.Line("⏳ Waiting 45 seconds before validating maintenance mode...");
        await io.WaitAsync(1.5, ct).ConfigureAwait(false);
        io.Line("🔍 Validating maintenance mode...");
        var inMaintenance = 0;
        foreach (var node in await env.Nodes.ListAsync(ct).ConfigureAwait(false))
        {
            var ip = SimNodes.InternalIPv4(node);
            if (SimNodes.InMaintenance(node))
            {
                inMaintenance++;
                io.Line($"   ✅ {ip}: accessible (maintenance mode)");
                io.Line($"   ✅ {ip}: confirmed maintenance (no cluster config)");
            }
            else io.Line($"   ❌ {ip}: not in maintenance mode (running with its cluster config)");
        }
        var total = TaskEnvironment.AllNodeIps.Count;
        // The real task's verdict lines (Taskfile.yml cluster:safe-reset).
        if (inMaintenance >= total)
        {
            io.Line("✅ RESET VALIDATION SUCCESSFUL");
            io.Line($"   - All {total} nodes are accessible in maintenance mode");
        }
        else if (inMaintenance > 0)
        {
            io.Line("⚠ PARTIAL RESET SUCCESS");
            io.Line($"   - {inMaintenance}/{total} nodes confirmed in maintenance mode");
            io.Line("   - Some nodes may need additional time or manual intervention");
        }
        else
        {
            io.Line("❌ RESET VALIDATION FAILED");
            io.Line("   - No nodes confirmed in maintenance mode");
            throw new CommandFailed(1);
        }
        io.Line("Next steps: task bootstrap:phase-1 (or task bootstrap:phased) to re-bootstrap the reset nodes");
        if (io.AutoRejoin)
        {
            io.Line($"[simulator] the reset node(s) {string.Join(", ", accepted)} will be re-bootstrapped automatically in a few seconds");
            NodeRejoin.Schedule(io, accepted, fullCluster);
        }
    }

    /// <summary><c>task cluster:safe-reboot</c>: asks y/N on stdin, then reboots .11 → .12 → .13 with gaps.</summary>
    public static async Task SafeRebootAsync(TaskEnvironment env, CancellationToken ct)
    {
        var io = env.Io;
        io.Line("🔄 Safe cluster reboot: reboots 172.29.51.11, .12, .13 one after the other");
        var answer = io.Prompt("Confirm safe reboot (y/N): ");
        if (answer?.Trim() != "y")
        {
            io.Line("Reboot cancelled");
            throw new CommandFailed(1);
        }
        foreach (var ip in TaskEnvironment.AllNodeIps)
        {
            env.Echo("cluster:safe-reboot", $"talosctl reboot --nodes {ip}");
            await TalosctlCommand.RebootAsync(env, [ip], wait: false, ct).ConfigureAwait(false);
            io.Line("⏳ Waiting 45 seconds before the next node...");
            await io.WaitAsync(2, ct).ConfigureAwait(false);
        }
        await StatusTableAsync(env, ct).ConfigureAwait(false);
    }

    /// <summary><c>task talos:reboot NODES=all|ip,…</c>: reboots the listed nodes with a gap, without waiting for them.</summary>
    public static async Task TalosRebootAsync(TaskEnvironment env, CancellationToken ct)
    {
        foreach (var ip in env.NodeIps(env.Var("NODES")))
        {
            env.Echo("talos:reboot", $"talosctl reboot --nodes {ip}");
            await TalosctlCommand.RebootAsync(env, [ip], wait: false, ct).ConfigureAwait(false);
            await env.Io.WaitAsync(1, ct).ConfigureAwait(false);
        }
    }

    /// <summary><c>task cluster:emergency-recovery</c>: read-only assessment after a y/N on stdin; hard-wired to mini01.</summary>
    public static async Task EmergencyRecoveryAsync(TaskEnvironment env, CancellationToken ct)
    {
        var io = env.Io;
        io.Line("🚨 EMERGENCY RECOVERY (assessment only: nothing is changed)");
        var answer = io.Prompt("Confirm emergency recovery (y/N): ");
        if (answer?.Trim() != "y")
        {
            io.Line("Emergency recovery cancelled");
            throw new CommandFailed(1);
        }
        await VerifySafetyAsync(env, ct).ConfigureAwait(false);
        await RecoverKubeconfigAsync(env, ct).ConfigureAwait(false);
        env.Echo("cluster:emergency-recovery", "kubectl get pods -n kube-system");
        io.Line("(the simulator does not serve pods: the dashboard's live gates assess the cluster instead)");
        io.Line("If the cluster is unrecoverable, use: task cluster:safe-reset CONFIRM=SAFE-RESET");
    }

    public static async Task VerifySafetyAsync(TaskEnvironment env, CancellationToken ct)
    {
        var io = env.Io;
        io.Line("✅ SAFE: talosctl reset --system-labels-to-wipe STATE --system-labels-to-wipe EPHEMERAL, talosctl reboot, talosctl apply-config");
        io.Line("❌ DANGEROUS: talosctl reset without partition labels, --wipe-mode=all, dd/mkfs on disks, kubectl delete nodes --all");
        await StatusTableAsync(env, ct).ConfigureAwait(false);
    }

    /// <summary><c>talos:recover-kubeconfig</c>: fetched from mini01 (172.29.51.11) only — fails when mini01 is down.</summary>
    public static async Task RecoverKubeconfigAsync(TaskEnvironment env, CancellationToken ct)
    {
        env.Echo("talos:recover-kubeconfig", "talosctl kubeconfig --nodes 172.29.51.11 --endpoints 172.29.51.11 --force");
        var mini01 = await env.Nodes.NameForIpAsync("172.29.51.11", ct).ConfigureAwait(false);
        var node = mini01 is null ? null : (await env.Nodes.ListAsync(ct).ConfigureAwait(false)).FirstOrDefault(n => n.Name() == mini01);
        if (node is null || !SimNodes.IsReady(node) || SimNodes.InMaintenance(node))
        {
            env.Io.Err("error constructing client: rpc error: code = Unavailable desc = connection error: dial tcp 172.29.51.11:50000: connect: connection refused");
            throw new CommandFailed(1);
        }
        env.Io.Line("(simulator: the kubeconfig is the simulator's own; nothing was overwritten)");
        await StatusTableAsync(env, ct).ConfigureAwait(false);
    }

    public static Task StatusAsync(TaskEnvironment env, CancellationToken ct) => StatusTableAsync(env, ct);

    /// <summary>Like <c>kubectl get nodes -o wide</c> (reading the Ready condition, as kubectl does).</summary>
    public static async Task StatusTableAsync(TaskEnvironment env, CancellationToken ct)
    {
        env.Echo("cluster:status", "kubectl get nodes -o wide");
        env.Io.Line($"{"NAME",-8} {"STATUS",-28} {"ROLES",-14} {"INTERNAL-IP",-14} OS-IMAGE");
        foreach (var n in await env.Nodes.ListAsync(ct).ConfigureAwait(false))
        {
            var ready = n.Condition("Ready").String("status") switch { "True" => "Ready", _ => "NotReady" };
            if (n["spec"]?["unschedulable"] is System.Text.Json.Nodes.JsonValue u && u.TryGetValue<bool>(out var cordoned) && cordoned) ready += ",SchedulingDisabled";
            env.Io.Line($"{n.Name(),-8} {ready,-28} {"control-plane",-14} {SimNodes.InternalIPv4(n),-14} {n["status"]?["nodeInfo"].String("osImage")}");
        }
    }
}
