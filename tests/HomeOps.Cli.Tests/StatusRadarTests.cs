using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace HomeOps.Cli.Tests;

/// <summary>
/// Issue 15: <c>homeops status</c> prints the slow-burn radar (table section and JSON <c>radar</c>) from the dashboard's
/// computation: cert-manager Certificates read, the talosconfig's client certificate, sources not read said so.
/// </summary>
public sealed class StatusRadarTests
{
    private static string Certificate(string ns, string name, DateTimeOffset notAfter, string ready = "True")
    {
        var (reason, message) = ready == "True"
            ? ("Ready", "Certificate is up to date and has not expired")
            : ("DoesNotExist", "Issuing certificate as Secret does not exist");
        return new JsonObject
        {
            ["apiVersion"] = "cert-manager.io/v1",
            ["kind"] = "Certificate",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["uid"] = "u-" + name, ["generation"] = 1 },
            ["spec"] = new JsonObject { ["secretName"] = name, ["dnsNames"] = new JsonArray(name + ".example.com") },
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready, ["reason"] = reason, ["message"] = message }),
                ["notAfter"] = notAfter.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            },
        }.ToJsonString();
    }

    private static (string Talosconfig, string KeyBase64) Talosconfig(TempFolder dir, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = new CertificateRequest("O=os:admin", key, HashAlgorithmName.SHA256).CreateSelfSigned(notAfter.AddYears(-1), notAfter);
        var crt = Convert.ToBase64String(Encoding.ASCII.GetBytes(cert.ExportCertificatePem()));
        var keyB64 = Convert.ToBase64String(Encoding.ASCII.GetBytes(key.ExportECPrivateKeyPem()));
        return (dir.Write("talosconfig", $"context: home-ops\ncontexts:\n  home-ops:\n    endpoints: [127.0.0.1]\n    crt: {crt}\n    key: {keyB64}\n"), keyB64);
    }

    [Fact]
    public async Task The_table_prints_a_radar_section_soonest_first_with_each_verdict()
    {
        using var dir = new TempFolder();
        var now = DateTimeOffset.UtcNow;
        dir.Write("objects/far.json", Certificate("headlamp", "headlamp-tls", now.AddDays(80)));
        dir.Write("objects/gone.json", Certificate("apps", "old-tls", now.AddDays(-3)));
        dir.Write("objects/broken.json", Certificate("home-automation", "ha-tls", now.AddDays(40), ready: "False"));

        var result = await CliProcess.RunAsync("status", "--from", Path.Combine(dir.Path, "objects"));

        var radar = result.Stdout.Split('\n').Where(l => l.StartsWith("radar", StringComparison.Ordinal)).ToList();
        Assert.StartsWith("radar: Failed — 1 expired, 1 failed", radar[0]);
        Assert.StartsWith("radar certificate apps/old-tls: Failed (expired 3 d ago) — expired 3 d ago", radar[1]);
        Assert.StartsWith("radar certificate home-automation/ha-tls: Failed (in ", radar[2]);
        Assert.Contains("not Ready: Issuing certificate as Secret does not exist", radar[2]);
        Assert.StartsWith("radar certificate headlamp/headlamp-tls: Healthy (in 79 d)", radar[3]);
        // Read from a folder: no kubeconfig, no API server, no talosconfig — said, not judged.
        Assert.Contains("radar kubeconfig: not read", radar);
        Assert.Contains("radar api-server: not read", radar);
        Assert.Contains("radar talosconfig: not read", radar);
    }

    [Fact]
    public async Task The_json_carries_the_radar_with_seconds_left_and_the_talosconfig_certificate_but_never_its_key()
    {
        using var dir = new TempFolder();
        var now = DateTimeOffset.UtcNow;
        dir.Write("objects/gone.json", Certificate("apps", "old-tls", now.AddDays(-1)));
        var (talosconfig, key) = Talosconfig(dir, now.AddDays(10));

        var result = await CliProcess.RunAsync("status", "--from", Path.Combine(dir.Path, "objects"), "--output", "json", "--talosconfig", talosconfig,
            "--talosctl", Path.Combine(dir.Path, "no-such-talosctl"));

        var radar = JsonNode.Parse(result.Stdout)!["radar"]!;
        Assert.Equal("Failed", radar["health"]!.GetValue<string>());
        var items = radar["items"]!.AsArray();
        Assert.Equal("old-tls", items[0]!["name"]!.GetValue<string>());
        Assert.InRange(items[0]!["secondsLeft"]!.GetValue<double>(), -86400 - 600, -86400 + 600);
        var talos = items.Single(i => i!["source"]!.GetValue<string>() == "talosconfig")!;
        Assert.Equal(("home-ops", "Degraded", "ExpiringSoon"), (talos["name"]!.GetValue<string>(), talos["health"]!.GetValue<string>(), talos["reason"]!.GetValue<string>()));
        Assert.DoesNotContain(key[..32], result.Stdout);
        Assert.DoesNotContain(key[..32], result.Stderr);
        Assert.Equal("not read", radar["sources"]!.AsArray().Single(s => s!["source"]!.GetValue<string>() == "kubeconfig")!["status"]!.GetValue<string>());
    }
}
