using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HomeOps.EndToEnd;

/// <summary>
/// Issue 7, bad input in the UI: an object whose name, labels, reason and a megabyte-long message carry HTML and
/// script, with deeply nested status. The list page and the drawer show it as text, cut with a way to see all; nothing
/// runs; the circuit survives and keeps delivering updates.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HostileContentTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Name = "evil-<img src=x onerror=\"window.__pwned='name'\">-<script>window.__pwned='name2'</script>";
    private const string MessageHead = "<img src=x onerror=\"window.__pwned='message'\"><script>window.__pwned='message2'</script> ünïcødé 🚨 \u202Eevil";
    private const string MessageTail = "END-OF-MESSAGE";
    private const int NestingDepth = 60;
    private static readonly string Message = MessageHead + new string('x', 1_000_000) + MessageTail;

    private SimulatedDashboard _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await SimulatedDashboard.StartAsync();

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task A_megabyte_hostile_object_renders_escaped_and_cut_and_the_page_stays_live()
    {
        var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var dialogs = new List<string>();
        page.Dialog += (_, d) => { lock (dialogs) dialogs.Add(d.Message); _ = d.DismissAsync(); };
        var pageErrors = new List<string>();
        page.PageError += (_, e) => { lock (pageErrors) pageErrors.Add(e); };
        await SignIn.AsAsync(page, _dashboard, "viewer", "/flux");
        await SignIn.WaitForCircuitAsync(page);

        _dashboard.Simulator.Cluster.Upsert(Hostile(ready: false, Message));
        var row = page.Locator("tr.resource-row", new() { HasText = "evil-" });
        await Expect(row).ToHaveAttributeAsync("data-health", "Failed", new() { Timeout = 30_000 });

        // The list: the name is text, the message is cut with a "show all".
        var rowText = await row.InnerTextAsync();
        Assert.Contains("<script>window.__pwned='name2'</script>", rowText);
        Assert.Contains("<img src=x", rowText);
        Assert.InRange(rowText.Length, 1, 2_000);
        await Expect(row.Locator("[data-testid=show-all]")).ToBeVisibleAsync();
        await AssertNothingInjectedAsync(page, row);

        // The drawer: title, reason, labels and message as text; the message cut, then all of it on request.
        await row.Locator("td").First.ClickAsync();
        var drawer = page.Locator("[data-testid=detail-content]");
        await Expect(drawer.Locator("[data-testid=detail-title]")).ToHaveTextAsync("flux-system/" + Name, new() { Timeout = 30_000 });
        var message = drawer.Locator("[data-testid=detail-message]");
        Assert.InRange((await message.InnerTextAsync()).Length, 1, 2_000);
        Assert.Contains("<b>label-key</b>", await drawer.Locator("[data-testid=detail-meta]").InnerTextAsync());
        Assert.Contains("<script>window.__pwned='reason'</script>", await drawer.Locator("[data-testid=detail-reason]").InnerTextAsync());
        await Expect(drawer.Locator("[data-testid=detail-raw-show-all]")).ToBeVisibleAsync();
        await AssertNothingInjectedAsync(page, drawer);

        await drawer.Locator("[data-testid=detail-message-toggle]").ClickAsync();
        await Expect(drawer.Locator("[data-testid=detail-message-toggle]")).ToHaveTextAsync("show less", new() { Timeout = 30_000 });
        var full = await message.EvaluateAsync<string>("el => el.textContent.length + ':' + el.textContent.endsWith('" + MessageTail + "')");
        Assert.Equal($"{Message.Length}:true", full);
        await AssertNothingInjectedAsync(page, drawer);
        await drawer.Locator("[data-testid=detail-message-toggle]").ClickAsync();
        await Expect(drawer.Locator("[data-testid=detail-message-toggle]")).ToHaveTextAsync("show all");
        await drawer.Locator("[data-testid=detail-close]").ClickAsync();

        // The circuit survived and still delivers: the same object recovers, another one fails, both shown live.
        _dashboard.Simulator.Cluster.Upsert(Hostile(ready: true, "Applied revision: main@sha1:fixed"));
        await Expect(row).ToHaveAttributeAsync("data-health", "Healthy", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=connection-state]")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(page.Locator("#blazor-error-ui")).Not.ToBeVisibleAsync();
        lock (dialogs) Assert.Empty(dialogs);
        lock (pageErrors) Assert.Empty(pageErrors);

        // The overview's Flux tile names it as text too.
        _dashboard.Simulator.Cluster.Upsert(Hostile(ready: false, Message));
        await page.Locator("[data-testid=nav-overview]").First.ClickAsync();
        var tile = page.Locator("[data-testid=tile-flux]");
        await Expect(tile).ToContainTextAsync("evil-", new() { Timeout = 30_000 });
        Assert.InRange((await tile.InnerTextAsync()).Length, 1, 5_000);
        await AssertNothingInjectedAsync(page, tile);
        await context.CloseAsync();
    }

    private static async Task AssertNothingInjectedAsync(IPage page, ILocator scope)
    {
        Assert.Equal(0, await scope.Locator("img, script, b").CountAsync());
        Assert.Null(await page.EvaluateAsync<string?>("() => window.__pwned ?? null"));
    }

    /// <summary>A Kustomization in flux-system with hostile metadata and status, built as the API would serve it.</summary>
    private static JsonObject Hostile(bool ready, string message)
    {
        JsonNode deep = new JsonObject { ["bottom"] = "<script>window.__pwned='deep'</script>" };
        for (var i = 0; i < NestingDepth; i++) deep = new JsonObject { ["level"] = deep };
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        return new JsonObject
        {
            ["apiVersion"] = $"{Kinds.Kustomization.Group}/{Kinds.Kustomization.Version}",
            ["kind"] = "Kustomization",
            ["metadata"] = new JsonObject
            {
                ["name"] = Name,
                ["namespace"] = "flux-system",
                ["generation"] = 1,
                ["labels"] = new JsonObject
                {
                    ["<b>label-key</b>"] = "<img src=x onerror=\"window.__pwned='label'\">",
                    ["homeops.test/unicode"] = "ünïcødé 🚨 \u202Eright-to-left",
                },
            },
            ["spec"] = new JsonObject
            {
                ["interval"] = "10m",
                ["path"] = "./<script>window.__pwned='path'</script>",
                ["prune"] = true,
                ["sourceRef"] = new JsonObject { ["kind"] = "GitRepository", ["name"] = "flux-system" },
            },
            ["status"] = new JsonObject
            {
                ["observedGeneration"] = 1,
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready",
                    ["status"] = ready ? "True" : "False",
                    ["reason"] = ready ? "ReconciliationSucceeded" : "<script>window.__pwned='reason'</script>",
                    ["message"] = message,
                    ["lastTransitionTime"] = now,
                    ["observedGeneration"] = 1,
                }),
                ["deep"] = deep,
            },
        };
    }
}
