using System.Text.Json;
using HomeOps.Simulator;

namespace HomeOps.Cli.Tests;

/// <summary>The kinds added for the real cluster (LoadBalancer Services, the secrets pipeline) show in <c>homeops status</c> with the same verdicts.</summary>
public sealed class StatusNewKindsTests
{
    private static List<JsonElement> Rows(CliProcess.Result result)
    {
        using var doc = JsonDocument.Parse(result.Stdout);
        return [.. doc.RootElement.GetProperty("entries").EnumerateArray().Select(r => r.Clone())];
    }

    private static string Str(JsonElement row, string name) => row.GetProperty(name).GetString() ?? "";

    [Fact]
    public async Task LoadBalancer_services_and_the_secrets_pipeline_are_listed_and_ClusterIP_services_are_not()
    {
        var result = await CliProcess.RunAsync("status", "--simulator", "--output", "json");
        var rows = Rows(result);

        var services = rows.Where(r => Str(r, "kind") == "Service").ToList();
        Assert.DoesNotContain(services, r => Str(r, "name") == "kubernetes");
        Assert.Contains(services, r => Str(r, "name") == "ingress-nginx-internal-controller" && Str(r, "health") == "Healthy");
        var longhorn = services.Single(r => Str(r, "name") == "longhorn-frontend");
        Assert.Equal(("Failed", "PoolAnnotationWithoutLabel", "longhorn-system"), (Str(longhorn, "health"), Str(longhorn, "reason"), Str(longhorn, "namespace")));

        var store = rows.Single(r => Str(r, "kind") == "ClusterSecretStore");
        Assert.Equal(("onepassword-connect", "Healthy", "external-secrets.io/v1"), (Str(store, "name"), Str(store, "health"), Str(store, "apiVersion")));
        var secrets = rows.Where(r => Str(r, "kind") == "ExternalSecret").ToList();
        Assert.Contains(secrets, r => Str(r, "name") == "authentik-admin-token-enhanced" && Str(r, "namespace") == "authentik");
        Assert.All(secrets, r => Assert.Equal("Healthy", Str(r, "health")));

        Assert.True(result.ExitCode == 1, result.ToString()); // the pending Longhorn UI Service is a real failure
    }

    [Fact]
    public async Task On_a_newer_Cilium_the_BGP_kinds_are_read_at_v2_with_the_same_verdicts()
    {
        await using var live = await SimulatorHost.StartAsync(new SimulatorOptions(), cancellationToken: TestContext.Current.CancellationToken);
        await using var newer = await SimulatorHost.StartAsync(new SimulatorOptions { Api = { CiliumVersion = "v2" } },
            cancellationToken: TestContext.Current.CancellationToken);

        var before = Rows(await CliProcess.RunAsync("status", "--kubeconfig", live.KubeconfigPath, "--output", "json"))
            .Where(r => Str(r, "apiVersion").StartsWith("cilium.io/", StringComparison.Ordinal)).ToList();
        var after = Rows(await CliProcess.RunAsync("status", "--kubeconfig", newer.KubeconfigPath, "--output", "json"))
            .Where(r => Str(r, "apiVersion").StartsWith("cilium.io/", StringComparison.Ordinal)).ToList();

        Assert.All(before, r => Assert.Equal("cilium.io/v2alpha1", Str(r, "apiVersion")));
        Assert.All(after.Where(r => Str(r, "kind") != "CiliumBGPPeeringPolicy"), r => Assert.Equal("cilium.io/v2", Str(r, "apiVersion")));
        Assert.Equal("cilium.io/v2alpha1", Str(after.Single(r => Str(r, "kind") == "CiliumBGPPeeringPolicy"), "apiVersion"));
        static string Verdict(JsonElement r) => $"{Str(r, "kind")}/{Str(r, "name")}: {Str(r, "health")} {Str(r, "reason")}";
        Assert.Equal(before.Select(Verdict).Order(), after.Select(Verdict).Order());
    }

    [Fact]
    public async Task A_folder_dump_skips_ClusterIP_services_and_classifies_LoadBalancers()
    {
        using var folder = new TempFolder();
        folder.Write("services.json", """
            {"apiVersion":"v1","kind":"List","items":[
              {"apiVersion":"v1","kind":"Service","metadata":{"name":"kubernetes","namespace":"default"},"spec":{"type":"ClusterIP"}},
              {"apiVersion":"v1","kind":"Service","metadata":{"name":"longhorn-frontend","namespace":"longhorn-system","annotations":{"io.cilium/lb-ipam-pool":"bgp-default"}},
               "spec":{"type":"LoadBalancer"},"status":{"loadBalancer":{}}}]}
            """);

        var result = await CliProcess.RunAsync("status", "--from", folder.Path, "--output", "json");
        var rows = Rows(result);

        var row = Assert.Single(rows);
        Assert.Equal(("longhorn-frontend", "Failed", "PoolAnnotationWithoutLabel"), (Str(row, "name"), Str(row, "health"), Str(row, "reason")));
        Assert.Contains("skipped", result.Stderr);
        Assert.True(result.ExitCode == 1, result.ToString());
    }
}
