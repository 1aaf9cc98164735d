using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace HomeOps.EndToEnd;

/// <summary>
/// No token, secret, cookie or password value reaches the logs. The dashboard runs as a real process with its
/// embedded simulator and identity provider (fixed secrets, so the test knows them) and logs at Debug to a file
/// while a browser signs in, opens pages and signs out and a program reads the JSON API; then the log is scanned.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class SecretHygieneTests(BrowserFixture browser)
{
    [Fact]
    public async Task Logs_contain_no_secret_values_after_signing_in_reading_the_api_and_signing_out()
    {
        var ct = TestContext.Current.CancellationToken;
        var logFile = Path.Combine(Path.GetTempPath(), $"homeops-log-{Guid.NewGuid():N}.txt");
        var secrets = new Dictionary<string, string>
        {
            ["admin password"] = "adm-" + Guid.NewGuid().ToString("N"),
            ["viewer password"] = "vwr-" + Guid.NewGuid().ToString("N"),
            ["OIDC client secret"] = "cs-" + Guid.NewGuid().ToString("N"),
            ["Authentik API token"] = "ak-" + Guid.NewGuid().ToString("N"),
        };
        var process = DashboardProcess.Start(new Dictionary<string, string>
        {
            ["Simulator__Identity__AdminPassword"] = secrets["admin password"],
            ["Simulator__Identity__ViewerPassword"] = secrets["viewer password"],
            ["Simulator__Identity__ClientSecret"] = secrets["OIDC client secret"],
            ["Simulator__AuthentikToken"] = secrets["Authentik API token"],
            ["Serilog__MinimumLevel__Default"] = "Debug",
            ["Serilog__MinimumLevel__Override__Microsoft.AspNetCore"] = "Debug",
            ["Serilog__Using__0"] = "Serilog.Sinks.File",
            ["Serilog__WriteTo__0__Name"] = "File",
            ["Serilog__WriteTo__0__Args__path"] = logFile,
        });
        try
        {
            var url = await process.WaitForLineAsync(UrlLine());
            var kubeconfig = await process.WaitForLineAsync(KubeconfigLine());
            await process.WaitForLineAsync(AdminLine());
            var kubeToken = Regex.Match(await File.ReadAllTextAsync(kubeconfig, ct), @"token:\s*""?([^\s""]+)").Groups[1].Value;
            Assert.NotEmpty(kubeToken);
            secrets["Kubernetes token"] = kubeToken;

            var context = await browser.Browser.NewContextAsync();
            var page = await context.NewPageAsync();
            await page.GotoAsync(url + "/authentik");
            await page.Locator("input[name=username]").FillAsync("admin", new() { Timeout = 30_000 });
            await page.Locator("input[name=password]").FillAsync(secrets["admin password"]);
            await page.Locator("button[type=submit]").ClickAsync();
            await page.WaitForURLAsync(url + "/authentik", new() { Timeout = 30_000 });
            await SignIn.WaitForCircuitAsync(page);
            foreach (var cookie in await context.CookiesAsync())
                if (cookie.Value.Length >= 16) secrets[$"cookie {cookie.Name}"] = cookie.Value;

            using (var http = new HttpClient())
            {
                var api = await page.Context.APIRequest.GetAsync(url + "/api/v1/health");   // with the session cookie
                Assert.Equal(200, api.Status);
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-real-token");
                Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.GetAsync(url + "/api/v1/health", ct)).StatusCode);
            }

            await page.Locator("[data-testid=user-menu] button, button[data-testid=user-menu]").First.ClickAsync();
            await page.Locator("[data-testid=sign-out]").ClickAsync();
            await page.WaitForURLAsync(u => u.Contains("/signed-out", StringComparison.Ordinal), new() { Timeout = 30_000 });
            await context.CloseAsync();
        }
        finally
        {
            await process.DisposeAsync();   // SIGTERM: the process flushes and closes the log file
        }

        var log = await File.ReadAllTextAsync(logFile, ct);
        Assert.Contains("/api/v1/health", log);   // the log really captured this run
        foreach (var (what, value) in secrets)
            Assert.False(log.Contains(value, StringComparison.Ordinal), $"the log contains the {what}");
        File.Delete(logFile);
    }

    [GeneratedRegex(@"^HomeOps dashboard: (http://\S+)")]
    private static partial Regex UrlLine();

    [GeneratedRegex(@"^Embedded simulator kubeconfig: (\S+)")]
    private static partial Regex KubeconfigLine();

    [GeneratedRegex(@"^Sign in as 'admin' \(operator\) with password: (\S+)")]
    private static partial Regex AdminLine();
}
