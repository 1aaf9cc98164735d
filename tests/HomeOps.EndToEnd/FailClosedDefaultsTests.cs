using System.Net;

namespace HomeOps.EndToEnd;

/// <summary>
/// Defaults that must fail closed (issue 11): the anonymous framework-script carve-out names exact files, an open
/// /metrics refuses to start in Production, anonymous /readyz names no startup error, and the CSP lets the page connect
/// to its own origin only.
/// </summary>
public sealed class FailClosedDefaultsTests
{
    private static async Task<SimulatedDashboard> StartAsync(Dictionary<string, string?>? extra = null, string environment = "Development") =>
        await SimulatedDashboard.StartAsync(extra, environment);

    [Fact]
    public async Task Only_the_exact_framework_scripts_are_served_anonymously()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var dashboard = await StartAsync();
        using var http = Caller.NewClient();
        foreach (var path in new[] { "/_framework/blazor.web.js", "/_framework/blazor.server.js" })
        {
            using var response = await http.GetAsync(dashboard.BaseUrl + path, ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        }
        foreach (var path in new[] { "/_framework/anything-else.js", "/_framework/blazor.web.js.map", "/operations/workflows/_framework/blazor.web.js" })
        {
            using var response = await http.GetAsync(dashboard.BaseUrl + path, ct);
            var outcome = Outcome.Of(response, dashboard);
            Assert.True(outcome is Outcome.SignIn or "401" or "404", $"{path}: {outcome}");
        }
    }

    [Fact]
    public async Task Anonymous_readyz_gives_a_generic_reason_and_keeps_the_startup_error_for_the_log()
    {
        var ct = TestContext.Current.CancellationToken;
        const string marker = "kubeconfig-readyz-detail-4711";
        var missing = Path.Combine(Path.GetTempPath(), marker, "config");
        await using var dashboard = await StartAsync(new() { ["Cluster:Kubeconfig"] = missing });
        using var http = Caller.NewClient();
        using var response = await http.GetAsync(dashboard.BaseUrl + "/readyz", ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.DoesNotContain(marker, body);
        Assert.DoesNotContain("kubeconfig", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Kubernetes client", body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"ready\":false", body);
    }

    [Fact]
    public async Task The_content_security_policy_connects_to_the_own_origin_only()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var dashboard = await StartAsync();
        using var http = Caller.NewClient();
        using var response = await http.GetAsync(dashboard.BaseUrl + "/signed-out", ct);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        var connect = csp.Split(';', StringSplitOptions.TrimEntries).Single(d => d.StartsWith("connect-src ", StringComparison.Ordinal));
        Assert.Equal("connect-src 'self'", connect);
    }

    [Fact]
    public async Task Production_refuses_to_start_with_metrics_open_to_anyone()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var dashboard = await StartAsync(ProductionSettings(), "Production");
        });
        var message = ex.ToString();
        Assert.Contains("Metrics:Port", message);
        Assert.Contains("Metrics:BearerToken", message);
    }

    [Fact]
    public async Task Production_starts_when_metrics_need_a_token_and_then_refuses_an_anonymous_scrape()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = ProductionSettings();
        settings["Metrics:BearerToken"] = "metrics-token-" + Guid.NewGuid().ToString("N");
        await using var dashboard = await StartAsync(settings, "Production");
        using var http = Caller.NewClient();
        using var response = await http.GetAsync(dashboard.BaseUrl + "/metrics", ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Production_refuses_to_start_with_data_protection_keys_unencrypted()
    {
        var settings = ProductionSettings();
        settings["Metrics:BearerToken"] = "metrics-token-" + Guid.NewGuid().ToString("N");
        settings["DataProtection:CertificatePath"] = "";
        var ex = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var dashboard = await StartAsync(settings, "Production");
        });
        Assert.Contains("DataProtection:CertificatePath", ex.ToString());
    }

    /// <summary>What a Production start needs besides the settings under test: a data-protection certificate.</summary>
    internal static Dictionary<string, string?> ProductionSettings()
    {
        var (path, password) = TestCertificates.WritePfx(Directory.CreateTempSubdirectory("homeops-e2e-cert-").FullName);
        return new()
        {
            ["Metrics:Port"] = "",
            ["Metrics:BearerToken"] = "",
            ["DataProtection:CertificatePath"] = path,
            ["DataProtection:CertificatePassword"] = password,
        };
    }
}
