using System.Diagnostics;
using System.Text.RegularExpressions;
using HomeOps.Simulator.Identity;
using HomeOps.Testing;
using Microsoft.Playwright;

namespace HomeOps.EndToEnd;

/// <summary>The dashboard as a real process (the README's quick start), with its console output captured.</summary>
public sealed partial class DashboardProcess : IAsyncDisposable
{
    private readonly DashboardAppProcess _app;

    private DashboardProcess(DashboardAppProcess app) => _app = app;

    /// <summary>Starts the built dashboard on a dynamic loopback port with the given environment.</summary>
    public static DashboardProcess Start(IDictionary<string, string>? environment = null)
    {
        var env = Defaults();
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) env[k] = v;
        // Development: static assets from build output (toolchain G1).
        return new DashboardProcess(DashboardAppProcess.Start(RepoPaths.DashboardDll, "Development", env));
    }

    /// <summary>
    /// The README's quick start: <c>dotnet run --project src/HomeOps.Dashboard</c> (launch profile, project folder as
    /// content root), with scenarios off and <paramref name="appArguments"/> passed to the dashboard.
    /// </summary>
    public static DashboardProcess StartAsQuickStart(IEnumerable<string> appArguments, IDictionary<string, string>? environment = null)
    {
        var env = Defaults();
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) env[k] = v;
        return new DashboardProcess(DashboardAppProcess.StartAsQuickStart(RepoPaths.Root, RepoPaths.Configuration, appArguments, env));
    }

    /// <summary>
    /// Scenarios off, and a data home of its own: unconfigured, the dashboard keeps its database under
    /// <c>$XDG_DATA_HOME</c>, which must be neither the tester's own nor shared with other dashboards under test.
    /// </summary>
    private static Dictionary<string, string> Defaults() => new()
    {
        ["Simulator__Scenarios__Enabled"] = "false",
        ["XDG_DATA_HOME"] = Directory.CreateTempSubdirectory("homeops-e2e-xdg-").FullName,
    };

    public string Output => _app.Output;

    /// <summary>Waits for a console line matching <paramref name="pattern"/> and returns its first group.</summary>
    public Task<string> WaitForLineAsync(Regex pattern, TimeSpan? timeout = null) =>
        _app.WaitForLineAsync(pattern, timeout ?? TimeSpan.FromSeconds(60));

    /// <summary>
    /// Waits until the process listens and returns its base URL (no trailing slash). Up to 3 minutes: on a loaded 2-core
    /// CI machine (load average above 100 seen) a cold start took over 60 s; a process that exits fails at once.
    /// </summary>
    public async Task<string> UrlAsync() => (await WaitForLineAsync(UrlLine(), TimeSpan.FromMinutes(3))).TrimEnd('/');

    /// <summary>
    /// Waits for the process to listen, lets the provider send the browser back to it, and signs admin in through the
    /// provider's real form in a new browser context, landing on <paramref name="path"/> with its circuit up.
    /// </summary>
    public async Task<SignedInSession> SignInAsAdminAsync(IBrowser browser, IdentityProviderHost identity, string path = "/operations")
    {
        var url = await UrlAsync();
        await identity.AllowRedirectUriAsync(new Uri(url + "/signin-oidc"));
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(url + path);
        await page.Locator("input[name=username]").FillAsync(IdentityProviderHost.AdminUsername, new() { Timeout = 30_000 });
        await page.Locator("input[name=password]").FillAsync(identity.AdminPassword);
        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(u => u.StartsWith(url, StringComparison.Ordinal), new() { Timeout = 30_000 });
        await SignIn.WaitForCircuitAsync(page);
        return new SignedInSession(url, context, page, new OperationsApi(context, url));
    }

    /// <summary>Waits on <paramref name="condition"/>; on timeout fails saying what it waited for, with the process's output.</summary>
    public static async Task Until(Func<Task<bool>> condition, string what, DashboardProcess? process, double seconds = 120)
    {
        var sw = Stopwatch.StartNew();
        while (!await condition())
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(seconds))
                Assert.Fail($"timed out after {seconds} s waiting for: {what}" + (process is null ? "" : "\n--- dashboard output\n" + process.Output));
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    [GeneratedRegex(@"^HomeOps dashboard: (http://\S+)")]
    private static partial Regex UrlLine();

    /// <summary>Stops the process the way Kubernetes does (SIGTERM), so it flushes its logs; kills it if it hangs.</summary>
    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

/// <summary>A browser context signed in to a dashboard process, with its page and an API client on its cookie.</summary>
public sealed record SignedInSession(string Url, IBrowserContext Context, IPage Page, OperationsApi Api);
