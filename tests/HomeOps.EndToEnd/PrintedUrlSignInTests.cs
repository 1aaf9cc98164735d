using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HomeOps.EndToEnd;

/// <summary>
/// A new user's first minute, in Chromium: <c>dotnet run --project src/HomeOps.Dashboard</c>, open the URL it prints,
/// sign in as admin with the password it prints, and land on the dashboard — at the printed host name and at the others
/// a user may type (127.0.0.1, the machine's own name when listening on every interface). The embedded provider must
/// not make the sign-in depend on which of them the browser used.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class PrintedUrlSignInTests(BrowserFixture browser)
{
    [Fact]
    public async Task Admin_signs_in_at_the_printed_url_and_at_127_0_0_1()
    {
        // The launch profile's URL is http://localhost:5080; keep its host name, on a free port (tests run in parallel).
        var profileUrl = new Uri(LaunchProfileUrl());
        Assert.Equal("localhost", profileUrl.Host);
        var dataHome = Directory.CreateTempSubdirectory("homeops-e2e-xdg-").FullName;
        await using var process = DashboardProcess.StartAsQuickStart(["--urls", $"http://localhost:{FreePort()}"],
            new Dictionary<string, string> { ["XDG_DATA_HOME"] = dataHome });
        var (printed, admin) = await StartedAsync(process);

        // The quick start's content root is the source tree: its database and stand-in scripts go to the user's data directory.
        var database = await process.WaitForLineAsync(DatabaseLine());
        Assert.Equal(Path.Combine(dataHome, "homeops-dashboard", "operations.db"), database);
        var standIns = await process.WaitForLineAsync(StandInsLine());
        Assert.StartsWith(Path.Combine(dataHome, "homeops-dashboard") + "/", standIns);

        var url = Assert.Single(printed);
        Assert.Equal("localhost", new Uri(url).Host);
        await SignInAsAdminAsync(url, admin, process, thenSignOut: true);
        await SignInAsAdminAsync(WithHost(url, "127.0.0.1"), admin, process);

        // A Host the dashboard does not answer to is never where a browser is sent, nor where the provider's pages are served.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        foreach (var (path, status) in new[] { ("/", HttpStatusCode.Redirect), ("/application/o/authorize/?client_id=homeops-dashboard", HttpStatusCode.BadRequest) })
        {
            using var spoofed = new HttpRequestMessage(HttpMethod.Get, url + path);
            spoofed.Headers.Host = $"evil.example:{new Uri(url).Port}";
            using var response = await http.SendAsync(spoofed);
            Assert.Equal(status, response.StatusCode);
            if (status == HttpStatusCode.Redirect) Assert.StartsWith("/signin-error", response.Headers.Location!.OriginalString);
        }
    }

    [Fact]
    public async Task Admin_signs_in_at_the_machine_name_when_listening_on_every_interface()
    {
        var port = FreePort();
        await using var process = DashboardProcess.StartAsQuickStart(["--urls", $"http://0.0.0.0:{port}"]);
        var (printed, admin) = await StartedAsync(process);

        // 0.0.0.0 is where it listens, not a URL a browser can open: the printed URLs are names that reach it.
        Assert.DoesNotContain(printed, u => u.Contains("0.0.0.0", StringComparison.Ordinal));
        var machine = Dns.GetHostName();
        Assert.Contains($"http://{machine}:{port}", printed);
        foreach (var url in printed) await SignInAsAdminAsync(url, admin, process);
        await SignInAsAdminAsync($"http://127.0.0.1:{port}", admin, process);
    }

    private static async Task<(List<string> Urls, string AdminPassword)> StartedAsync(DashboardProcess process)
    {
        var admin = await process.WaitForLineAsync(AdminPasswordLine(), TimeSpan.FromSeconds(120));
        // The kubeconfig line comes after the URL lines in the same banner.
        await process.WaitForLineAsync(KubeconfigLine(), TimeSpan.FromSeconds(120));
        var urls = process.Output.Split('\n').Select(l => UrlLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(urls);
        return (urls, admin);
    }

    /// <summary>Opens exactly <paramref name="url"/> in a fresh browser, signs in on the provider's form and lands on the overview.</summary>
    /// <param name="thenSignOut">Also sign out, and see that the provider's session ended too (it asks for the password again).</param>
    private async Task SignInAsAdminAsync(string url, string password, DashboardProcess process, bool thenSignOut = false)
    {
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(url);
            await page.Locator("input[name=username]").FillAsync("admin", new() { Timeout = 30_000 });
            await page.Locator("input[name=password]").FillAsync(password);
            await page.Locator("button[type=submit]").ClickAsync();
            // Done when back on the dashboard's overview, or on its sign-in error page (the failure this test is about).
            await page.WaitForURLAsync(u => u.StartsWith(url, StringComparison.Ordinal) &&
                                            (new Uri(u).AbsolutePath == "/" || u.Contains("/signin-error", StringComparison.Ordinal)),
                new() { Timeout = 30_000 });
            Assert.True(new Uri(page.Url).AbsolutePath == "/",
                $"signing in at {url} ended on {page.Url} instead of the overview\n{await page.Locator("body").InnerTextAsync()}\n{process.Output}");
            await SignIn.WaitForCircuitAsync(page);
            await page.Locator("[data-testid=user-menu] button, button[data-testid=user-menu]").First.ClickAsync();
            await Expect(page.Locator("[data-testid=user-role]")).ToHaveTextAsync("operator");
            if (!thenSignOut) return;

            await page.Locator("[data-testid=sign-out]").ClickAsync();
            await page.WaitForURLAsync(u => u.StartsWith(url + "/signed-out", StringComparison.Ordinal), new() { Timeout = 30_000 });
            await page.GotoAsync(url);
            await Expect(page.Locator("input[name=password]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            Assert.StartsWith(url + "/if/flow/", page.Url);
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private static string WithHost(string url, string host) => new UriBuilder(url) { Host = host }.Uri.ToString().TrimEnd('/');

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string LaunchProfileUrl()
    {
        var json = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "HomeOps.Dashboard", "Properties", "launchSettings.json"));
        return ApplicationUrl().Match(json).Groups[1].Value;
    }

    [GeneratedRegex(@"^HomeOps dashboard: (http://\S+)")]
    private static partial Regex UrlLine();

    [GeneratedRegex(@"^Sign in as 'admin' \(operator\) with password: (\S+)")]
    private static partial Regex AdminPasswordLine();

    [GeneratedRegex(@"^Embedded simulator kubeconfig: (\S+)")]
    private static partial Regex KubeconfigLine();

    [GeneratedRegex(@"Operations engine ready \(Sqlite: (\S+)\)")]
    private static partial Regex DatabaseLine();

    [GeneratedRegex(@"Simulator stand-ins for [a-z, ]+ written to (\S+)")]
    private static partial Regex StandInsLine();

    [GeneratedRegex("\"applicationUrl\":\\s*\"([^\"]+)\"")]
    private static partial Regex ApplicationUrl();
}
