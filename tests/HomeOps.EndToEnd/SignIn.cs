using Microsoft.Playwright;

namespace HomeOps.EndToEnd;

/// <summary>Signs in through the identity provider's real login form, as a person would.</summary>
public static class SignIn
{
    /// <summary>Opens <paramref name="path"/>, is sent to the provider, logs in, and lands back on the page.</summary>
    public static async Task AsAsync(IPage page, SimulatedDashboard dashboard, string user, string path = "/")
    {
        await page.GotoAsync(dashboard.BaseUrl + path);
        await SubmitLoginFormAsync(page, dashboard, user);
        await page.WaitForURLAsync(url => url.StartsWith(dashboard.BaseUrl, StringComparison.Ordinal), new() { Timeout = 30_000 });
    }

    /// <summary>Fills the provider's login form that the page is on.</summary>
    public static async Task SubmitLoginFormAsync(IPage page, SimulatedDashboard dashboard, string user)
    {
        await page.Locator("input[name=username]").FillAsync(user, new() { Timeout = 30_000 });
        await page.Locator("input[name=password]").FillAsync(dashboard.PasswordOf(user));
        await page.Locator("button[type=submit]").ClickAsync();
    }

    public static async Task WaitForCircuitAsync(IPage page)
    {
        var console = new List<string>();
        page.Console += (_, m) => { lock (console) console.Add($"{m.Type}: {m.Text}"); };
        try
        {
            await page.Locator("[data-testid=circuit-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            string log;
            lock (console) log = string.Join("\n", console);
            throw new TimeoutException($"The page at {page.Url} never became interactive. Browser console:\n{log}");
        }
    }
}
