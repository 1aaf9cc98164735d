using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace HomeOps.EndToEnd;

/// <summary>
/// With ASP.NET Core's request logging turned up, a real sign-in's OIDC callback is logged — but its authorization
/// code and state are not. The dashboard runs as a real process logging to a file; Chromium signs in through the
/// provider's form; the test captures the code and state the browser sent to /signin-oidc and searches the log for them.
/// The same callback is then also sent the way a provider in query mode sends it (GET with ?code=…&amp;state=…), so the
/// URL-borne form of the secret is checked too.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class LogRedactionTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("Information")]
    [InlineData("Verbose")]
    public async Task The_log_has_the_callback_request_but_not_its_code_or_state(string aspNetCoreLevel)
    {
        var ct = TestContext.Current.CancellationToken;
        var logFile = Path.Combine(Path.GetTempPath(), $"homeops-log-{Guid.NewGuid():N}.txt");
        var adminPassword = "adm-" + Guid.NewGuid().ToString("N");
        var callbacks = new List<(string Url, string? Body)>();
        var process = DashboardProcess.Start(new Dictionary<string, string>
        {
            ["Simulator__Identity__AdminPassword"] = adminPassword,
            ["Serilog__MinimumLevel__Default"] = "Information",
            ["Serilog__MinimumLevel__Override__Microsoft.AspNetCore"] = aspNetCoreLevel,
            ["Serilog__Using__0"] = "Serilog.Sinks.File",
            ["Serilog__WriteTo__0__Name"] = "File",
            ["Serilog__WriteTo__0__Args__path"] = logFile,
            // The embedded simulator and provider log through their own loggers into the same file: append, don't overwrite.
            ["Serilog__WriteTo__0__Args__shared"] = "true",
        });
        var stopped = false;
        try
        {
            var url = await process.WaitForLineAsync(UrlLine());
            var context = await browser.Browser.NewContextAsync();
            var page = await context.NewPageAsync();
            page.Request += (_, r) =>
            {
                if (new Uri(r.Url).AbsolutePath == "/signin-oidc") lock (callbacks) callbacks.Add((r.Url, r.PostData));
            };
            await page.GotoAsync(url + "/");
            await page.Locator("input[name=username]").FillAsync("admin", new() { Timeout = 30_000 });
            await page.Locator("input[name=password]").FillAsync(adminPassword);
            await page.Locator("button[type=submit]").ClickAsync();
            await page.WaitForURLAsync(u => u.StartsWith(url, StringComparison.Ordinal) && !u.Contains("/signin-oidc", StringComparison.Ordinal),
                new() { Timeout = 30_000 });
            await SignIn.WaitForCircuitAsync(page);

            var (callbackUrl, body) = Assert.Single(callbacks);
            var parameters = Parameters(new Uri(callbackUrl).Query.TrimStart('?')).Concat(Parameters(body ?? "")).ToDictionary();
            var code = parameters.GetValueOrDefault("code");
            var state = parameters.GetValueOrDefault("state");
            Assert.False(string.IsNullOrEmpty(code), $"no code in the callback {callbackUrl} {body}");
            Assert.False(string.IsNullOrEmpty(state), "no state in the callback");

            // The same code and state in a URL, as a provider using response_mode=query delivers them (already used: refused).
            var replay = await context.APIRequest.GetAsync($"{url}/signin-oidc?code={Uri.EscapeDataString(code!)}&state={Uri.EscapeDataString(state!)}",
                new() { MaxRedirects = 0 });
            Assert.NotEqual(200, replay.Status);
            await context.CloseAsync();

            stopped = true;
            await process.DisposeAsync();   // SIGTERM: the file sink flushes
            var log = await File.ReadAllTextAsync(logFile, ct);
            var callbackLines = log.Split('\n').Where(l => l.Contains("/signin-oidc", StringComparison.Ordinal)).ToList();
            TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", callbackLines));
            Assert.True(callbackLines.Count > 0, "no /signin-oidc line in the log:\n" + string.Join("\n", log.Split('\n').Where(l => l.Contains("Request", StringComparison.Ordinal)).Take(20)));
            Assert.Contains(callbackLines, l => l.Contains("Request starting", StringComparison.Ordinal) && l.Contains("POST", StringComparison.Ordinal));
            Assert.Contains(callbackLines, l => l.Contains("Request starting", StringComparison.Ordinal) && l.Contains("/signin-oidc?code=***&state=***", StringComparison.Ordinal));
            foreach (var (what, value) in new[] { ("authorization code", code!), ("state", state!) })
                foreach (var form in new[] { value, Uri.EscapeDataString(value) }.Distinct())
                    Assert.False(log.Contains(form, StringComparison.Ordinal), $"the log contains the {what}:\n" +
                        string.Join("\n", log.Split('\n').Where(l => l.Contains(form, StringComparison.Ordinal)).Take(3)));
        }
        finally
        {
            if (!stopped) await process.DisposeAsync();
            if (File.Exists(logFile)) File.Delete(logFile);
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> Parameters(string form) =>
        form.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .Select(p => KeyValuePair.Create(Uri.UnescapeDataString(p[0]), Uri.UnescapeDataString(p[1].Replace('+', ' '))));

    [GeneratedRegex(@"^HomeOps dashboard: (http://\S+)")]
    private static partial Regex UrlLine();
}
