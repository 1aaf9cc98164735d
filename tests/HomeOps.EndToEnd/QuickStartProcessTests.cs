using System.Net;
using System.Text.RegularExpressions;

namespace HomeOps.EndToEnd;

/// <summary>
/// The README's quick start as a real process: the dashboard with no configuration starts its embedded simulator and
/// identity provider, prints its URL, the sign-in passwords and the simulator's kubeconfig, becomes ready, sends
/// anonymous visitors to sign in, and the real kubectl works against the simulator.
/// </summary>
public sealed partial class QuickStartProcessTests
{
    [Fact]
    public async Task Dashboard_process_starts_on_the_embedded_simulator_and_kubectl_works_against_it()
    {
        // As `dotnet run` does: the launch profile's URL in ASPNETCORE_URLS, the command line's --urls winning over it.
        await using var process = DashboardProcess.Start(new Dictionary<string, string> { ["ASPNETCORE_URLS"] = "http://localhost:5080" });
        // A cold start of three hosts (dashboard, simulator, provider) on a busy two-core machine can take a minute.
        var url = await process.WaitForLineAsync(UrlLine(), TimeSpan.FromSeconds(180));
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(url) };
        // The line means "open it now": the very first request, sent as soon as it appears and never retried, is
        // served by the dashboard's pipeline (the sign-in redirect), not refused or answered 404 by a server still wiring up.
        var immediately = await http.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.True(immediately.StatusCode == HttpStatusCode.Redirect,
            $"the first request after the URL line got {(int)immediately.StatusCode}, not the sign-in redirect");
        var authorize = immediately.Headers.Location!;
        Assert.Contains("/application/o/authorize/", authorize.ToString());
        // … and the provider, reached through that redirect at once, knows the dashboard's callback: it offers its
        // sign-in form instead of refusing an unregistered redirect_uri.
        var provider = await http.GetAsync(authorize, TestContext.Current.CancellationToken);
        var offered = provider.StatusCode == HttpStatusCode.OK ? "" : provider.Headers.Location?.ToString() ?? "";
        Assert.True(provider.StatusCode == HttpStatusCode.OK || (provider.StatusCode == HttpStatusCode.Redirect && !offered.Contains("error", StringComparison.OrdinalIgnoreCase)),
            $"the provider answered the first sign-in with {(int)provider.StatusCode} {offered} {await provider.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        TestContext.Current.TestOutputHelper?.WriteLine($"authorize: {(int)provider.StatusCode} {offered}");
        var kubeconfig = await process.WaitForLineAsync(KubeconfigLine());
        var adminPassword = await process.WaitForLineAsync(AdminPasswordLine());
        Assert.True(adminPassword.Length >= 16, "a generated password is strong");
        await process.WaitForLineAsync(ViewerPasswordLine());

        await Eventually(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "readyz 200");
        Assert.Equal("ok", (await http.GetStringAsync("/healthz")).Trim());
        // Nobody reaches the dashboard without signing in: the overview sends the browser to the embedded
        // Authentik-shaped provider with a PKCE code flow; programs get 401.
        var overview = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, overview.StatusCode);
        var location = overview.Headers.Location!.ToString();
        Assert.Contains("/application/o/authorize/", location);
        Assert.Contains("code_challenge_method=S256", location);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/health")).StatusCode);

        var (code, stdout, stderr) = await Kubectl.RunAsync(kubeconfig, "get", "nodes");
        Assert.True(code == 0, stderr);
        foreach (var node in new[] { "mini01", "mini02", "mini03" }) Assert.Contains(node, stdout);

        // A quiet start at the default level: what a user needs, and nothing that reads as a problem. The only listener
        // announced is the dashboard's own (the simulator's and the provider's loopback ports are not for people).
        var lines = process.Output.Split('\n');
        Assert.Empty(lines.Where(l => Alarming().IsMatch(l)));
        Assert.All(lines.Where(l => l.Contains("Now listening on:", StringComparison.Ordinal)), l => Assert.EndsWith(url, l));
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try { if (await condition()) return; }
            catch (HttpRequestException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("timed out waiting for " + what);
            await Task.Delay(50);
        }
    }

    [GeneratedRegex(@"^HomeOps dashboard: (http://\S+)")]
    private static partial Regex UrlLine();

    [GeneratedRegex(@"^Sign in as 'admin' \(operator\) with password: (\S+)")]
    private static partial Regex AdminPasswordLine();

    [GeneratedRegex(@"^Sign in as 'viewer' \(viewer\) +with password: (\S+)")]
    private static partial Regex ViewerPasswordLine();

    /// <summary>Warnings and errors (Serilog's and the console logger's forms), Kestrel's address override, EF's in-memory chatter.</summary>
    [GeneratedRegex(@"\b(WRN|ERR|FTL)\]|^\s*(warn|fail|crit):|Overriding address|Saved \d+ entities")]
    private static partial Regex Alarming();

    [GeneratedRegex(@"^Embedded simulator kubeconfig: (\S+)")]
    private static partial Regex KubeconfigLine();
}
