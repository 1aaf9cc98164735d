using HomeOps.Dashboard.Auth;
using HomeOps.Operations.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HomeOps.EndToEnd;

/// <summary>
/// Break-glass sign-in (issue 14) in a real Chromium against the real dashboard on Kestrel, with the simulator's
/// Authentik-shaped provider stopped or running. The account is configured as on the station: the password hash and the
/// TOTP secret in mounted files. Each dashboard logs at Debug through its real Serilog pipeline (its console sink, captured), and every
/// test ends by searching that log for the password, the hash, the TOTP secret and every code typed.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BreakGlassTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string User = BreakGlassAccountFiles.User;
    private static readonly TimeSpan StepUpMaxAge = TimeSpan.FromSeconds(12);

    private readonly BreakGlassAccountFiles _account = new();
    private readonly StringWriter _log = new();
    private TextWriter? _console;
    private SimulatedDashboard? _dashboard;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_dashboard is not null) await _dashboard.DisposeAsync();
        if (_console is not null) Console.SetOut(_console);
        _account.Dispose();
    }

    private async Task<SimulatedDashboard> StartAsync(bool alwaysOffer, string allowedNetwork = "127.0.0.0/8", IDictionary<string, string?>? extra = null)
    {
        var settings = _account.Settings(alwaysOffer, allowedNetwork);
        foreach (var (k, v) in new Dictionary<string, string?>
        {
            // Everything the app logs at Debug, ASP.NET Core's request and form handling included, on its console sink.
            ["Serilog:MinimumLevel:Default"] = "Debug",
            ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Debug",
            ["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore"] = "Information",
        }) settings[k] = v;
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        // The app's Serilog console sink writes to Console.Out at each event: capture it (and still pass it on).
        _console = Console.Out;
        Console.SetOut(TextWriter.Synchronized(new Tee(_console, _log)));
        return _dashboard = await SimulatedDashboard.StartAsync(settings);
    }

    private string Code(DateTimeOffset at) => _account.Code(at);

    private Task FillSignInAsync(IPage page, string password) => _account.FillSignInAsync(page, password);

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync(string action) =>
        await _dashboard!.App.Services.GetRequiredService<IAuditLog>().QueryAsync(new AuditQuery(Action: action), TestContext.Current.CancellationToken);

    private static ILocator Field(IPage page, string testId) => MudFields.Input(page, testId);

    [Fact]
    public async Task With_Authentik_down_break_glass_signs_in_an_operator_with_a_banner_who_steps_up_and_runs_a_safe_reset()
    {
        var dashboard = await StartAsync(alwaysOffer: false, extra: new Dictionary<string, string?>
        {
            ["Auth:StepUpMaxAge"] = StepUpMaxAge.ToString(),
            ["Operations:StandIns:Enabled"] = "true",
            ["Operations:StandIns:Pace"] = "0.5",
        });
        await dashboard.Identity.DisposeAsync();   // Authentik is down

        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(dashboard.BaseUrl + "/operations/safe-reset");
        await page.WaitForURLAsync(u => u.StartsWith(dashboard.BaseUrl + "/signin-error", StringComparison.Ordinal), new() { Timeout = 30_000 });
        await page.Locator("[data-testid=breakglass-link]").ClickAsync();
        await Expect(page.Locator("[data-testid=breakglass-form]")).ToBeVisibleAsync(new() { Timeout = 15_000 });

        await FillSignInAsync(page, _account.Password);
        var signedInAt = DateTimeOffset.UtcNow;
        await page.WaitForURLAsync(dashboard.BaseUrl + "/", new() { Timeout = 30_000 });
        await SignIn.WaitForCircuitAsync(page);
        await Expect(page.Locator("[data-testid=breakglass-banner]")).ToBeVisibleAsync();
        var signIn = Assert.Single(await AuditAsync("breakglass.signin"));
        Assert.Equal(AuditOutcome.Succeeded, signIn.Outcome);
        Assert.Equal(User, signIn.User);
        Assert.Contains("127.0.0.1", signIn.Parameters);

        // The session is the server-side one: a row in the sessions table.
        var cookies = await context.CookiesAsync();
        Assert.Contains(cookies, c => c.Name == "homeops_session");

        await page.GotoAsync(dashboard.BaseUrl + "/operations/safe-reset");
        await SignIn.WaitForCircuitAsync(page);
        await Expect(page.Locator("[data-testid=breakglass-banner]")).ToBeVisibleAsync();   // on every page

        // The condition is time itself: the break-glass sign-in is older than the step-up max age.
        var staleAt = signedInAt + StepUpMaxAge + TimeSpan.FromSeconds(1.5);
        if (staleAt > DateTimeOffset.UtcNow) await Task.Delay(staleAt - DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);

        await page.Locator("[data-testid=pick-node-mini02] input").CheckAsync();
        await Expect(page.Locator("[data-testid=preflight]")).ToHaveAttributeAsync("data-blocked", "False", new() { Timeout = 15_000 });
        await page.Locator("[data-testid=launch-run]").ClickAsync();
        // Not Authentik (it is down): the break-glass step-up form, password and a new code again.
        await page.WaitForURLAsync(u => u.StartsWith(dashboard.BaseUrl + "/breakglass/step-up", StringComparison.Ordinal), new() { Timeout = 30_000 });
        await page.Locator("[data-testid=breakglass-password]").FillAsync(_account.Password);
        // The next step's code (an authenticator running slightly ahead): a code already used cannot be used again.
        await page.Locator("[data-testid=breakglass-totp]").FillAsync(Code(DateTimeOffset.UtcNow.AddSeconds(30)));
        await page.Locator("[data-testid=breakglass-submit]").ClickAsync();
        await page.WaitForURLAsync(u => u.StartsWith(dashboard.BaseUrl + "/operations/safe-reset", StringComparison.Ordinal), new() { Timeout = 30_000 });
        Assert.Contains("nodes=mini02", page.Url);
        await SignIn.WaitForCircuitAsync(page);
        Assert.Equal(AuditOutcome.Succeeded, Assert.Single(await AuditAsync("breakglass.step-up")).Outcome);

        await Expect(page.Locator("[data-testid=pick-node-mini02] input")).ToBeCheckedAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator("[data-testid=preflight]")).ToHaveAttributeAsync("data-blocked", "False", new() { Timeout = 15_000 });
        await page.Locator("[data-testid=launch-run]").ClickAsync();
        await Field(page, "confirm-phrase-input").FillAsync("SAFE-RESET", new() { Timeout = 10_000 });
        await Field(page, "confirm-reason-input").FillAsync("break-glass drill: Authentik down");
        var confirm = page.Locator("[data-testid=confirm-run]");
        await Expect(confirm).ToBeEnabledAsync(new() { Timeout = 10_000 });
        await confirm.ClickAsync();
        var monitor = page.Locator("[data-testid=run-monitor]");
        await Expect(monitor).ToBeVisibleAsync(new() { Timeout = 15_000 });
        var runId = Guid.Parse((await monitor.GetAttributeAsync("data-run-id"))!);
        var started = Assert.Single(await _dashboard!.App.Services.GetRequiredService<IAuditLog>()
            .QueryAsync(new AuditQuery(Action: "run.start", RunId: runId), TestContext.Current.CancellationToken));
        Assert.NotEqual(AuditOutcome.Refused, started.Outcome);
        Assert.Equal(User, started.User);

        // Sign-out revokes the server-side session: the old cookie, replayed, is anonymous.
        await page.Locator("[data-testid=user-menu] button, button[data-testid=user-menu]").First.ClickAsync();
        await Expect(page.Locator("[data-testid=user-role]")).ToHaveTextAsync("operator");
        await page.Locator("[data-testid=sign-out]").ClickAsync();
        await page.WaitForURLAsync(u => u.StartsWith(dashboard.BaseUrl + "/signed-out", StringComparison.Ordinal), new() { Timeout = 30_000 });
        Assert.Single(await AuditAsync("breakglass.signout"));
        var replay = await browser.Browser.NewContextAsync();
        await replay.AddCookiesAsync(cookies.Select(c => new Cookie { Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path }));
        var audit = await replay.APIRequest.GetAsync(dashboard.BaseUrl + "/api/v1/audit?format=json", new() { MaxRedirects = 0 });
        Assert.Equal(401, audit.Status);
        await replay.CloseAsync();
        await context.CloseAsync();

        await AssertLogHasNoSecretAsync();
    }

    [Fact]
    public async Task With_Authentik_up_and_AlwaysOffer_off_the_form_is_not_offered_and_a_direct_post_is_refused()
    {
        var dashboard = await StartAsync(alwaysOffer: false);
        var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(dashboard.BaseUrl + "/breakglass");
        await Expect(page.Locator("[data-testid=breakglass-not-offered]")).ToHaveAttributeAsync("data-reason", "IdentityProviderReachable");
        Assert.Equal(0, await page.Locator("[data-testid=breakglass-form]").CountAsync());
        Assert.Equal(0, await page.Locator("input[name=password]").CountAsync());

        // The right credentials, posted directly as a script would: without an antiforgery token, refused as every form
        // is; with a valid one (minted by the app's own antiforgery service for an anonymous visitor), refused as not offered.
        var bare = await context.APIRequest.PostAsync(dashboard.BaseUrl + BreakGlassEndpoints.SignInPath, new()
        {
            Form = Form(context, _account.Password, Code(DateTimeOffset.UtcNow)),
            MaxRedirects = 0,
        });
        Assert.Equal(400, bare.Status);
        var post = await context.APIRequest.PostAsync(dashboard.BaseUrl + BreakGlassEndpoints.SignInPath, new()
        {
            Form = await WithAntiforgeryAsync(context, Form(context, _account.Password, Code(DateTimeOffset.UtcNow))),
            MaxRedirects = 0,
        });
        Assert.Equal(403, post.Status);
        Assert.Contains("not offered while Authentik is reachable", await post.TextAsync());
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "homeops_session");
        var refused = await AuditAsync("breakglass.refused");
        Assert.Equal(2, refused.Count);
        Assert.Contains(refused, r => r.Message == "missing or invalid antiforgery token");
        Assert.Contains(refused, r => r.Message!.Contains("not offered while Authentik is reachable", StringComparison.Ordinal));
        Assert.Empty(await AuditAsync("breakglass.signin"));
        await context.CloseAsync();

        await AssertLogHasNoSecretAsync();
    }

    [Fact]
    public async Task Wrong_passwords_lock_the_account_and_then_even_the_right_one_is_refused()
    {
        var dashboard = await StartAsync(alwaysOffer: true);   // the operator station: offered with Authentik up
        var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(dashboard.BaseUrl + "/breakglass");
        for (var i = 1; i <= 2; i++)
        {
            await FillSignInAsync(page, _account.Password + "-wrong" + i);
            await Expect(page.Locator("[data-testid=breakglass-error]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        }
        await FillSignInAsync(page, _account.Password + "-wrong3");
        await Expect(page.Locator("[data-testid=breakglass-locked]")).ToBeVisibleAsync(new() { Timeout = 15_000 });

        await FillSignInAsync(page, _account.Password);
        await Expect(page.Locator("[data-testid=breakglass-locked]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "homeops_session");
        Assert.Equal(0, await page.Locator("[data-testid=breakglass-banner]").CountAsync());

        var failures = await AuditAsync("breakglass.signin");
        Assert.Equal(3, failures.Count);
        Assert.All(failures, f => Assert.Equal(AuditOutcome.Failed, f.Outcome));
        Assert.Contains(failures, f => f.Message!.Contains("3 of 3 failures", StringComparison.Ordinal));
        Assert.Single(await AuditAsync("breakglass.lockout"));
        var locked = Assert.Single(await AuditAsync("breakglass.locked"));
        Assert.Contains("the password was not checked", locked.Message);
        await context.CloseAsync();

        await AssertLogHasNoSecretAsync();
    }

    [Fact]
    public async Task From_outside_the_allowed_networks_it_is_refused_and_a_session_does_not_travel_there()
    {
        // The client address is the one the app trusts after forwarded headers (loopback is a known proxy by default).
        var dashboard = await StartAsync(alwaysOffer: true, allowedNetwork: "192.168.1.0/24");
        var outside = await browser.Browser.NewContextAsync(new() { ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Forwarded-For"] = "203.0.113.7" } });
        var page = await outside.NewPageAsync();
        await page.GotoAsync(dashboard.BaseUrl + "/breakglass");
        await Expect(page.Locator("[data-testid=breakglass-not-offered]")).ToHaveAttributeAsync("data-reason", "OutsideAllowedNetworks");
        Assert.Equal(0, await page.Locator("[data-testid=breakglass-form]").CountAsync());
        var post = await outside.APIRequest.PostAsync(dashboard.BaseUrl + BreakGlassEndpoints.SignInPath, new()
        {
            Form = await WithAntiforgeryAsync(outside, Form(outside, _account.Password, Code(DateTimeOffset.UtcNow))),
            MaxRedirects = 0,
        });
        Assert.Equal(403, post.Status);
        Assert.Contains("not offered to your network", await post.TextAsync());
        var refused = Assert.Single(await AuditAsync("breakglass.refused"));
        Assert.Contains("203.0.113.7", refused.Parameters);

        // From the LAN it is offered and works.
        var inside = await browser.Browser.NewContextAsync(new() { ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Forwarded-For"] = "192.168.1.20" } });
        var lan = await inside.NewPageAsync();
        await lan.GotoAsync(dashboard.BaseUrl + "/breakglass");
        await FillSignInAsync(lan, _account.Password);
        await lan.WaitForURLAsync(dashboard.BaseUrl + "/", new() { Timeout = 30_000 });
        await SignIn.WaitForCircuitAsync(lan);
        await Expect(lan.Locator("[data-testid=breakglass-banner]")).ToBeVisibleAsync();

        // The same session cookie from outside the allowed networks is not a session there.
        var session = (await inside.CookiesAsync()).Single(c => c.Name == "homeops_session");
        await outside.AddCookiesAsync([new Cookie { Name = session.Name, Value = session.Value, Domain = session.Domain, Path = session.Path }]);
        var fromOutside = await outside.APIRequest.GetAsync(dashboard.BaseUrl + "/api/v1/audit?format=json", new() { MaxRedirects = 0 });
        Assert.Equal(401, fromOutside.Status);
        var fromInside = await inside.APIRequest.GetAsync(dashboard.BaseUrl + "/api/v1/audit?format=json", new() { MaxRedirects = 0 });
        Assert.Equal(200, fromInside.Status);
        await outside.CloseAsync();
        await inside.CloseAsync();

        await AssertLogHasNoSecretAsync();
    }

    /// <summary>Writes to the real console and to the capture.</summary>
    private sealed class Tee(TextWriter first, TextWriter second) : TextWriter
    {
        public override System.Text.Encoding Encoding => first.Encoding;
        public override void Write(char value) { first.Write(value); lock (second) second.Write(value); }
        public override void Write(string? value) { first.Write(value); lock (second) second.Write(value); }
        public override void WriteLine(string? value) { first.WriteLine(value); lock (second) second.WriteLine(value); }
        public override void Flush() => first.Flush();
    }

    /// <summary>
    /// A valid antiforgery pair for an anonymous visitor, from the app's own service: the cookie goes into the context,
    /// the request token into the form. A direct POST then has everything a real form post has.
    /// </summary>
    private async Task<IFormData> WithAntiforgeryAsync(IBrowserContext context, IFormData form)
    {
        var services = _dashboard!.App.Services;
        var tokens = services.GetRequiredService<Microsoft.AspNetCore.Antiforgery.IAntiforgery>()
            .GetTokens(new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = services });
        var cookieName = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>>().Value.Cookie.Name!;
        await context.AddCookiesAsync([new Cookie { Name = cookieName, Value = tokens.CookieToken!, Url = _dashboard.BaseUrl }]);
        form.Set(tokens.FormFieldName, tokens.RequestToken!);
        return form;
    }

    private static IFormData Form(IBrowserContext context, string password, string code)
    {
        var form = context.APIRequest.CreateFormData();
        form.Set("username", User);
        form.Set("password", password);
        form.Set("totp", code);
        form.Set("returnUrl", "/");
        return form;
    }

    /// <summary>The log (every line the app wrote, at Debug) has break-glass lines but none of the account's secrets.</summary>
    private async Task AssertLogHasNoSecretAsync()
    {
        await _dashboard!.DisposeAsync();   // stops the app: every log event is written
        _dashboard = null;
        Console.SetOut(_console!);
        string log;
        lock (_log) log = _log.ToString();
        _account.AssertLogHasNoSecret(log);
    }
}
