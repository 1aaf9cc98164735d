using System.Text.Json;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;

namespace HomeOps.Cli.Tests;

/// <summary><c>homeops status --from DIR</c> run as a real process.</summary>
public sealed class StatusFromFolderTests
{
    private static readonly string[] Healths = ["Healthy", "Progressing", "Degraded", "Failed", "Suspended", "Unknown"];
    private static readonly string[] Keys = ["kind", "apiVersion", "namespace", "name", "health", "reason", "message"];

    [Fact]
    public async Task The_fixtures_folder_prints_every_object_as_json_and_exits_1_because_some_fail()
    {
        var result = await CliProcess.RunAsync("status", "--from", RepoPaths.Fixtures, "--output", "json");
        Assert.True(result.ExitCode == 1, result.ToString());

        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("entries").ValueKind);
        var rows = doc.RootElement.GetProperty("entries").EnumerateArray().ToList();
        foreach (var row in rows)
        {
            Assert.Equal(Keys, row.EnumerateObject().Select(p => p.Name));
            Assert.Contains(row.GetProperty("health").GetString(), Healths);
            var kind = Kinds.Find(row.GetProperty("apiVersion").GetString(), row.GetProperty("kind").GetString());
            Assert.NotNull(kind);
            if (!kind.Namespaced) Assert.Equal(JsonValueKind.Null, row.GetProperty("namespace").ValueKind);
        }

        // The same objects, decoded in this process straight from the files, must come out of the CLI.
        // Observed kinds (group observed.homeops) are the CLI's own evaluation over what was read, not objects in files:
        // each Longhorn volume gets its backup verdict (VolumeBackup), as in the dashboard.
        var expected = ExpectedFromFiles(RepoPaths.Fixtures).Order().ToList();
        var fromFiles = rows.Where(r => !r.GetProperty("apiVersion").GetString()!.StartsWith(Kinds.ObservedGroup + "/", StringComparison.Ordinal));
        var actual = fromFiles.Select(r => string.Join(" | ", Keys.Take(6).Select(k => r.GetProperty(k).ValueKind == JsonValueKind.Null ? "-" : r.GetProperty(k).GetString())))
            .Order().ToList();
        Assert.Equal(expected, actual);
        var volumes = rows.Where(r => r.GetProperty("kind").GetString() == "Volume").Select(r => r.GetProperty("name").GetString()).Order().ToList();
        var backups = rows.Where(r => r.GetProperty("kind").GetString() == "VolumeBackup").Select(r => r.GetProperty("name").GetString()).Order().ToList();
        Assert.NotEmpty(volumes);
        Assert.Equal(volumes, backups);

        string Verdict(string kind, string? ns, string name) =>
            string.Join("/", rows.Where(r => r.GetProperty("kind").GetString() == kind && r.GetProperty("name").GetString() == name &&
                    (ns is null ? r.GetProperty("namespace").ValueKind == JsonValueKind.Null : r.GetProperty("namespace").GetString() == ns))
                .Select(r => $"{r.GetProperty("health").GetString()} {r.GetProperty("reason").GetString()}"));
        Assert.Equal("Suspended Suspended", Verdict("Kustomization", "test-kustomization", "sample"));
        Assert.Equal("Failed KubeletNotReady", Verdict("Node", null, "m0"));
        Assert.Equal("Failed SessionNotEstablished", Verdict("CiliumBGPNodeConfig", null, "talos-worker-1"));
        Assert.Equal("Progressing Progressing", Verdict("GitRepository", "flux-system", "gr-unknown"));
        Assert.Equal("Healthy Attached", Verdict("Volume", "longhorn-system", "pvc-08b5eeb9-33be-4571-ac04-8f1c6e9f7d48"));

        // Files without a kind we read are skipped with a note, not an error.
        Assert.Contains("backupvolume-synth.json", result.Stderr);
        Assert.Contains("not a kind homeops reads", result.Stderr);
    }

    [Fact]
    public async Task A_folder_of_healthy_and_suspended_objects_exits_0_and_prints_area_summaries()
    {
        using var dir = new TempFolder();
        dir.CopyFixture("talos-node/node-ready-talos-v1.7.2-dualstack-synth.json");
        dir.CopyFixture("flux/kustomization-ready-docs.json");
        dir.CopyFixture("flux/kustomization-suspended-lastready-karmada.json");
        dir.CopyFixture("flux/helmrelease-ready-testsucceeded-docs.json", "nested/hr.json");
        dir.CopyFixture("longhorn/volume-attached-healthy.json");
        dir.CopyFixture("longhorn/node-ready-schedulable.json");
        dir.CopyFixture("cilium/bgpnodeconfig-established-v2alpha1-docs.json");
        dir.CopyFixture("cilium/bgppeeringpolicy-v2alpha1-docs.json");
        dir.CopyFixture("cilium/cli-cilium-bgp-peers-established-docs.json"); // not an object: skipped
        // A typed list whose items omit apiVersion/kind, as the API (not kubectl) returns them.
        dir.Write("list.json", """
            {"apiVersion":"source.toolkit.fluxcd.io/v1","kind":"GitRepositoryList","items":[
              {"metadata":{"name":"flux-system","namespace":"flux-system"},"spec":{"url":"https://github.com/geoffdavis/talos-gitops"},
               "status":{"conditions":[{"type":"Ready","status":"True","reason":"Succeeded","message":"stored artifact"}]}}]}
            """);

        // The dump's one node is the node expected (by default mini01..mini03 are, and their absence fails the Nodes area).
        var result = await CliProcess.RunAsync("status", "--from", dir.Path, "--expected-nodes", "talos-test01");
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n');
        Assert.StartsWith("KIND", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("Nodes ", StringComparison.Ordinal) && l.Contains("Healthy") && l.Contains("1/1 nodes Ready"));
        Assert.Matches(@"^KIND\s+NAMESPACE\s+NAME\s+HEALTH\s+REASON\s+MESSAGE$", lines[0].TrimEnd());
        Assert.Contains("Nodes: 1/1 healthy", result.Stdout);
        Assert.Contains("Flux: 3/4 healthy, 1 suspended", result.Stdout);
        // The volume's backup verdict (no recurring-job group has a backup job in this dump) is shown, never an alarm.
        Assert.Contains("Longhorn: 2/3 healthy, 1 suspended", result.Stdout);
        Assert.Contains(lines, l => l.StartsWith("VolumeBackup ", StringComparison.Ordinal) && l.Contains("Suspended") && l.Contains(BackupPolicy.NoPolicyReason));
        Assert.Contains("BGP: 2/2 healthy", result.Stdout);
        Assert.Contains(lines, l => l.StartsWith("GitRepository ", StringComparison.Ordinal) && l.Contains("flux-system") && l.Contains("Healthy"));

        // Columns are aligned: HEALTH starts at the same offset on every row.
        var healthColumn = lines[0].IndexOf("HEALTH", StringComparison.Ordinal);
        foreach (var row in lines.Where(l => l.StartsWith("Node ", StringComparison.Ordinal) || l.StartsWith("Kustomization ", StringComparison.Ordinal)))
            Assert.Matches("^(Healthy|Suspended) ", row[healthColumn..]);
    }

    [Fact]
    public async Task A_malformed_json_file_is_bad_input_and_the_message_names_the_file()
    {
        using var dir = new TempFolder();
        dir.CopyFixture("flux/kustomization-ready-docs.json");
        dir.Write("broken-dump.json", """{"apiVersion":"v1","kind":"Node","metadata":{"name":"mini01" """);
        var result = await CliProcess.RunAsync("status", "--from", dir.Path);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("broken-dump.json", result.Stderr);
        Assert.Contains("malformed JSON", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task A_missing_folder_is_bad_input()
    {
        var missing = Path.Combine(Path.GetTempPath(), "homeops-missing-" + Guid.NewGuid().ToString("N"));
        var result = await CliProcess.RunAsync("status", "--from", missing);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(missing, result.Stderr);
        Assert.Contains("not found", result.Stderr);
    }

    [Fact]
    public async Task DependencyNotReady_rows_show_the_root_cause()
    {
        using var dir = new TempFolder();
        dir.Write("ks.json", """
            {"apiVersion":"v1","kind":"List","items":[
             {"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization","metadata":{"name":"infrastructure-onepassword","namespace":"flux-system"},
              "status":{"conditions":[{"type":"Ready","status":"False","reason":"HealthCheckFailed","message":"timeout waiting for: [Deployment/onepassword-connect/onepassword-connect status: 'InProgress']"}]}},
             {"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization","metadata":{"name":"infrastructure-cert-manager","namespace":"flux-system"},
              "spec":{"dependsOn":[{"name":"infrastructure-onepassword"}]},
              "status":{"conditions":[{"type":"Ready","status":"False","reason":"DependencyNotReady","message":"dependency 'flux-system/infrastructure-onepassword' is not ready"}]}},
             {"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization","metadata":{"name":"infrastructure-ingress-nginx-internal","namespace":"flux-system"},
              "spec":{"dependsOn":[{"name":"infrastructure-cert-manager"}]},
              "status":{"conditions":[{"type":"Ready","status":"False","reason":"DependencyNotReady","message":"dependency 'flux-system/infrastructure-cert-manager' is not ready"}]}}]}
            """);
        var result = await CliProcess.RunAsync("status", "--from", dir.Path);
        Assert.True(result.ExitCode == 1, result.ToString());
        var waiting = result.Stdout.Split('\n').Single(l => l.Contains("infrastructure-ingress-nginx-internal"));
        Assert.Contains("DependencyNotReady", waiting);
        Assert.Contains("root cause: Kustomization flux-system/infrastructure-onepassword Failed: HealthCheckFailed", waiting);
        Assert.Contains("Flux: 0/3 healthy, 2 degraded, 1 failed", result.Stdout);
    }

    [Fact]
    public async Task Hostile_names_cannot_inject_terminal_escapes_or_break_the_json()
    {
        using var dir = new TempFolder();
        dir.Write("evil.json", """
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"mini01\u001b[2J\u001b[31m<script>alert(1)</script>\nFAKE LINE"},
             "status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"ok\u202Egnp.exe"}]}}
            """);
        var table = await CliProcess.RunAsync("status", "--from", dir.Path);
        // 1: the expected mini01..mini03 are absent (the hostile name is not mini01); what matters here is the escaping.
        Assert.True(table.ExitCode == 1, table.ToString());
        Assert.DoesNotContain('\u001b', table.Stdout);
        Assert.DoesNotContain('\u202E', table.Stdout);
        Assert.DoesNotContain(table.Stdout.Split('\n'), l => l.StartsWith("FAKE LINE", StringComparison.Ordinal));

        var json = await CliProcess.RunAsync("status", "--from", dir.Path, "--output", "json");
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.Equal("mini01\u001b[2J\u001b[31m<script>alert(1)</script>\nFAKE LINE", doc.RootElement.GetProperty("entries")[0].GetProperty("name").GetString());
        Assert.DoesNotContain("<script>", json.Stdout); // escaped as \u003C in the raw output
    }

    /// <summary>What the CLI should print for a folder, computed in-process with the same decoder (reading code is independent).</summary>
    private static IEnumerable<string> ExpectedFromFiles(string folder)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var file in Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var root = doc.RootElement;
            IEnumerable<JsonElement> objects = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("items", out var items) &&
                items.ValueKind == JsonValueKind.Array && root.GetProperty("kind").GetString()!.EndsWith("List")
                ? items.EnumerateArray()
                : [root];
            foreach (var obj in objects)
            {
                if (ResourceDecoder.TryDecode(obj, now) is not { } s) continue;
                yield return string.Join(" | ", s.Kind.Kind, s.Kind.ApiVersion, s.Meta.Namespace ?? "-", s.Meta.Name, s.Verdict.Health.ToString(), s.Verdict.Reason);
            }
        }
    }
}
