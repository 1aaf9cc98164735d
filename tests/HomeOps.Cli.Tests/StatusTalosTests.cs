using System.Text.Json.Nodes;

namespace HomeOps.Cli.Tests;

/// <summary>
/// Issue 15: <c>homeops status</c> prints an etcd line. With <c>--talosconfig</c> it runs talosctl (here a script
/// answering with the real captures in fixtures/talos-cli) and prints the Talos feed's verdicts; without, it says etcd
/// was not read; a talosctl that cannot run is reported and fails the exit code.
/// </summary>
public sealed class StatusTalosTests
{
    private static readonly string[] Ips = ["172.20.0.2", "172.20.0.3", "172.20.0.4"];
    private const string Expected = "talos-default-controlplane-1,talos-default-controlplane-2,talos-default-controlplane-3";

    private static string Fixture(string name) =>
        JsonNode.Parse(File.ReadAllText(RepoPaths.Fixture($"talos-cli/{name}")))!["stdout"]!.GetValue<string>();

    /// <summary>Three Ready control-plane nodes named as the fixtures' etcd members.</summary>
    private static void WriteNodes(TempFolder dir)
    {
        for (var i = 0; i < Ips.Length; i++)
            dir.Write($"nodes/node{i}.json", """
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"talos-default-controlplane-NUMBER","labels":{"node-role.kubernetes.io/control-plane":""}},
                 "status":{"addresses":[{"type":"InternalIP","address":"ADDRESS"}],
                  "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"kubelet is posting ready status","lastTransitionTime":"2026-01-01T00:00:00Z"}],
                  "nodeInfo":{"osImage":"Talos (v1.9.1)","kernelVersion":"6.12.5-talos","kubeletVersion":"v1.32.0","containerRuntimeVersion":"containerd://2.0.1"}}}
                """.Replace("NUMBER", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)).Replace("ADDRESS", Ips[i]));
    }

    /// <summary>A talosctl that answers each argument line from answers/&lt;line&gt;.out, and refuses to run without TALOSCONFIG.</summary>
    private static string WriteTalosctl(TempFolder dir, Dictionary<string, string> answers)
    {
        foreach (var (args, stdout) in answers) dir.Write($"bin/answers/{args.Replace(' ', '_').Replace(',', '_')}.out", stdout);
        var script = dir.Write("bin/talosctl", """
            #!/bin/sh
            [ -f "$TALOSCONFIG" ] || { echo "error: TALOSCONFIG not set" >&2; exit 1; }
            f="$(dirname "$0")/answers/$(printf '%s' "$*" | tr ' ,' '__').out"
            [ -f "$f" ] || { echo "Error: unknown command \"$*\"" >&2; exit 1; }
            cat "$f"
            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    /// <summary>The real captures: etcd and kubelet Preparing on each node, a NOSPACE alarm on controlplane-1's member.</summary>
    private static Dictionary<string, string> Answers()
    {
        var all = string.Join(',', Ips);
        var services = Fixture("talosctl-services-etcd-preparing-talos12214.json");
        return new()
        {
            [$"version --nodes {all}"] = Fixture("talosctl-version-3nodes-hcloud51.json").Replace("10.4.64.1", "172.20.0.2").Replace("10.4.64.2", "172.20.0.3").Replace("10.4.64.3", "172.20.0.4"),
            [$"get machinestatus --nodes {all}"] = "NODE         NAMESPACE   TYPE            ID        VERSION   STAGE     READY\n"
                + string.Concat(Ips.Select(ip => $"{ip,-13}runtime     MachineStatus   machine   5         running   true\n")),
            // The real capture, for each node: etcd and kubelet still Preparing.
            [$"services --nodes {all}"] = services.Split('\n')[0] + "\n" + string.Concat(Ips.Select(ip => string.Join('\n', services.Split('\n').Skip(1).Select(l => l.Replace("10.5.0.2  ", ip))) + "\n")),
            [$"etcd status --nodes {all}"] = Fixture("talosctl-etcd-status-docs.json"),
            [$"etcd alarm list --nodes {all}"] = Fixture("talosctl-etcd-alarm-nospace-docs.json"),
            ["etcd members --nodes 172.20.0.4"] = Fixture("talosctl-etcd-members-synth.json"),
        };
    }

    [Fact]
    public async Task With_a_talosconfig_the_etcd_line_and_each_nodes_talos_verdict_are_printed()
    {
        using var dir = new TempFolder();
        WriteNodes(dir);
        var talosctl = WriteTalosctl(dir, Answers());
        var talosconfig = dir.Write("talosconfig", "context: home-ops\n");

        var result = await CliProcess.RunAsync("status", "--from", Path.Combine(dir.Path, "nodes"), "--expected-nodes",
            "talos-default-controlplane-1,talos-default-controlplane-2,talos-default-controlplane-3", "--talosconfig", talosconfig, "--talosctl", talosctl);
        // The NOSPACE alarm on controlplane-1's member leaves 2 of 3 healthy: quorum kept, but not OK.
        Assert.Contains("etcd: quorum — 2/3 voting members healthy (needs 2), leader a49c021e76e707db, alarms: NOSPACE on a49c021e76e707db", result.Stdout);
        Assert.Contains("talos talos-default-controlplane-1 (172.20.0.2): Degraded — Talos running; services not healthy: etcd Preparing (health ?: Running pre state); kubelet Preparing (health ?: Running pre state)", result.Stdout);
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public async Task Without_a_talosconfig_the_etcd_line_says_it_was_not_read()
    {
        using var dir = new TempFolder();
        WriteNodes(dir);
        var result = await CliProcess.RunAsync("status", "--from", Path.Combine(dir.Path, "nodes"));
        Assert.Contains("etcd: unknown — not read from Talos (pass --talosconfig PATH; quorum is not judged from Node Ready)", result.Stdout);
    }

    [Fact]
    public async Task A_talosctl_that_cannot_run_is_named_and_fails_the_exit_code()
    {
        using var dir = new TempFolder();
        WriteNodes(dir);
        var talosconfig = dir.Write("talosconfig", "context: home-ops\n");
        var result = await CliProcess.RunAsync("status", "--from", Path.Combine(dir.Path, "nodes"), "--expected-nodes",
            "talos-default-controlplane-1,talos-default-controlplane-2,talos-default-controlplane-3",
            "--talosconfig", talosconfig, "--talosctl", Path.Combine(dir.Path, "no-such-talosctl"));
        Assert.Contains("etcd: unknown — unreachable since", result.Stdout);
        Assert.Contains("talosctl could not run", result.Stdout);
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public async Task The_json_output_carries_the_etcd_line_and_its_numbers_and_the_nodes_area_includes_talos()
    {
        using var dir = new TempFolder();
        WriteNodes(dir);
        var talosctl = WriteTalosctl(dir, Answers());
        var talosconfig = dir.Write("talosconfig", "context: home-ops\n");
        string[] args = ["status", "--from", Path.Combine(dir.Path, "nodes"), "--expected-nodes", Expected, "--talosconfig", talosconfig, "--talosctl", talosctl];

        var text = await CliProcess.RunAsync(args);
        var json = await CliProcess.RunAsync(args.Append("--output").Append("json").ToArray());
        var doc = JsonNode.Parse(json.Stdout)!;
        var etcd = doc["etcd"]!;
        // The same line as the table's, and its numbers.
        var line = etcd["line"]!.GetValue<string>();
        Assert.StartsWith("etcd: quorum", line);
        Assert.Contains(line, text.Stdout);
        Assert.True(etcd["read"]!.GetValue<bool>());
        Assert.True(etcd["quorum"]!.GetValue<bool>());
        Assert.Equal((3, 2, 2), (etcd["voters"]!.GetValue<int>(), etcd["healthy"]!.GetValue<int>(), etcd["needed"]!.GetValue<int>()));
        Assert.Equal("a49c021e76e707db", etcd["leader"]!.GetValue<string>());
        Assert.Equal(["NOSPACE on a49c021e76e707db"], etcd["alarms"]!.AsArray().Select(a => a!.GetValue<string>()));
        // Every Node is Ready for Kubernetes: the Nodes area is Degraded only because of what Talos and etcd said.
        var nodes = doc["areas"]!.AsArray().Single(a => a!["area"]!.GetValue<string>() == "Nodes")!;
        Assert.Equal("Degraded", nodes["worst"]!.GetValue<string>());
        Assert.Equal("3/3", nodes["count"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_a_talosconfig_the_json_etcd_says_not_read_and_talos_does_not_colour_the_nodes_area()
    {
        using var dir = new TempFolder();
        WriteNodes(dir);
        var json = await CliProcess.RunAsync("status", "--from", Path.Combine(dir.Path, "nodes"), "--expected-nodes", Expected, "--output", "json");
        var doc = JsonNode.Parse(json.Stdout)!;
        Assert.Equal(HomeOps.Cli.Sources.TalosSource.NotAsked, doc["etcd"]!["line"]!.GetValue<string>());
        Assert.False(doc["etcd"]!["read"]!.GetValue<bool>());
        Assert.Null(doc["etcd"]!["voters"]);
        Assert.Equal("Healthy", doc["areas"]!.AsArray().Single(a => a!["area"]!.GetValue<string>() == "Nodes")!["worst"]!.GetValue<string>());
    }
}
