using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HomeOps.EndToEnd;

/// <summary>
/// Readable at a glance (issue 19), in a real Chromium at 1280 px and at 390 px: workflow texts render their inline code,
/// the pre-flight is grouped by kind with the decision first, the overview's BGP tile is one line, the first click on a
/// workflow page is not lost to prerendering, the console is clean on every page (the CSP is <c>script-src 'self'</c>),
/// and no page scrolls sideways on a phone nor breaks a word in the middle of a table cell.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ReadabilityTests(BrowserFixture browser) : IAsyncLifetime
{
    private SimulatedDashboard _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await SimulatedDashboard.StartAsync(new Dictionary<string, string?>
    {
        // The test's simulator runs outside the dashboard (Kubeconfig mode): the stand-in tools answer the runs.
        ["Operations:StandIns:Enabled"] = "true",
        ["Operations:StandIns:Pace"] = "0.5",
    });

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    private async Task<IPage> SignedInAsync(string user, string path, int width = 1280, int height = 900)
    {
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, _dashboard, user, path);
        await SignIn.WaitForCircuitAsync(page);
        return page;
    }

    /// <summary>
    /// Every routable page of the dashboard, from its <see cref="RouteAttribute"/>s (a new page is checked without being
    /// listed here); a route with a parameter gets a real value. Sign-in pages render statically (no circuit).
    /// </summary>
    private static IReadOnlyList<(string Path, bool Interactive)> EveryPage()
    {
        var samples = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["/operations/workflows/{Id}"] = "/operations/workflows/etcd:members",
            ["/operations/runs/{RunId:guid}"] = "/operations/runs/" + Guid.Empty, // an unknown run: the page says so
        };
        return typeof(HomeOps.Dashboard.Components.App).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => (Template: r.Template,
                Interactive: t.GetCustomAttribute<ExcludeFromInteractiveRoutingAttribute>() is null)))
            .Select(r => (Path: r.Template.Contains('{') ? samples[r.Template] : r.Template, r.Interactive))
            .OrderBy(r => r.Path, StringComparer.Ordinal)
            .ToList();
    }

    private static async Task OpenAsync(IPage page, string url, bool interactive)
    {
        await page.GotoAsync(url);
        if (interactive) await SignIn.WaitForCircuitAsync(page);
        else await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Expect(page.Locator("h1, h2").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
    }

    [Fact]
    public async Task Workflow_texts_render_inline_code_instead_of_backticks()
    {
        var page = await SignedInAsync("admin", "/operations/workflows/etcd:members");
        var description = page.Locator("[data-testid=workflow-description]");
        await Expect(description.Locator("code").First).ToHaveTextAsync("talosctl etcd members", new() { Timeout = 15_000 });
        Assert.DoesNotContain('`', await description.TextContentAsync() ?? "");

        // The safe-reset caveats and its pre-flight's known defects are written in the same style.
        await page.GotoAsync(_dashboard.BaseUrl + "/operations/safe-reset");
        await SignIn.WaitForCircuitAsync(page);
        var caveats = page.Locator("[data-testid=caveats] li");
        await Expect(caveats.First).ToBeAttachedAsync(new() { Timeout = 15_000 });
        Assert.True(await page.Locator("[data-testid=caveats] li code").CountAsync() > 0, "no caveat renders inline code");
        Assert.All(await caveats.AllTextContentsAsync(), c => Assert.DoesNotContain('`', c));

        await page.Locator("[data-testid=pick-node-mini02] input").CheckAsync();
        var known = page.Locator("[data-testid=preflight-group][data-kind=KnownDefects]");
        await Expect(known).ToBeVisibleAsync(new() { Timeout = 15_000 });
        Assert.True(await known.Locator("code").CountAsync() > 0, "no known-defect finding renders inline code");
        Assert.DoesNotContain('`', await page.Locator("[data-testid=preflight]").TextContentAsync() ?? "");
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task The_preflight_reads_decision_first_then_one_block_per_kind_led_by_its_count_and_worst_item(int width, int height)
    {
        var page = await SignedInAsync("admin", "/operations/safe-reset", width, height);
        await Expect(page.Locator("[data-testid=live-node-mini02]")).ToHaveAttributeAsync("data-ready", "True", new() { Timeout = 30_000 });
        await page.Locator("[data-testid=pick-node-mini02] input").CheckAsync();
        var preflight = page.Locator("[data-testid=preflight]");
        await Expect(preflight).ToHaveAttributeAsync("data-blocked", "False", new() { Timeout = 15_000 });

        // The decision comes before every finding.
        await Expect(page.Locator("[data-testid=preflight-verdict]")).ToHaveTextAsync("May run");
        var order = await preflight.EvaluateAsync<string[]>(
            "p => [...p.querySelectorAll('[data-testid=preflight-verdict], [data-testid=preflight-group]')].map(e => e.dataset.testid)");
        Assert.Equal("preflight-verdict", order[0]);

        // One block per kind, each led by its count and one visible (worst) finding; the rest is folded.
        var groups = page.Locator("[data-testid=preflight-group]");
        var kinds = await groups.EvaluateAllAsync<string[]>("gs => gs.map(g => g.dataset.kind)");
        Assert.Equal(kinds.Distinct().Count(), kinds.Length);
        Assert.Contains("KnownDefects", kinds);
        Assert.Contains("DataAtRisk", kinds);
        for (var i = 0; i < kinds.Length; i++)
        {
            var g = groups.Nth(i);
            var count = int.Parse(await g.Locator("[data-testid=preflight-group-count]").TextContentAsync() ?? "");
            Assert.True(count >= 1, $"{kinds[i]}: count {count}");
            await Expect(g.Locator("[data-role=preflight-group-worst]")).ToBeVisibleAsync();
            var folded = g.Locator("[data-testid=preflight-group-rest]");
            if (await folded.CountAsync() > 0)
            {
                Assert.False(await folded.EvaluateAsync<bool>("d => d.open"), $"{kinds[i]}: the rest is not folded");
                await Expect(folded.Locator(".preflight-item").First).Not.ToBeVisibleAsync();
            }
        }
        // Not a wall: what is visible without a click is one finding per kind.
        var visible = await preflight.Locator("[data-testid=preflight-warning], [data-testid=preflight-blocking]")
            .EvaluateAllAsync<int>("es => es.filter(e => e.checkVisibility()).length");
        Assert.Equal(kinds.Length, visible);

        // Volumes are named namespace/claim; the pvc-<uid> volume name is on hover (title) and in the expanded list.
        var subjects = preflight.Locator("[data-testid=preflight-subject]");
        Assert.True(await subjects.CountAsync() > 0, "no volume is named in the pre-flight");
        var named = 0;
        foreach (var s in await subjects.AllAsync())
        {
            var (text, id) = (await s.TextContentAsync() ?? "", await s.GetAttributeAsync("title") ?? "");
            Assert.StartsWith("pvc-", id);
            // A volume bound to a claim is named namespace/claim; one without a claim has only its volume name.
            if (QualifiedName().IsMatch(text)) named++;
            else Assert.Equal(id, text);
        }
        Assert.True(named > 0, "no volume is named namespace/claim");
        Assert.DoesNotContain(await preflight.Locator("[data-role=preflight-group-worst]").AllInnerTextsAsync(), t => t.Contains("[pvc-"));
        var data = preflight.Locator("[data-testid=preflight-group][data-kind=DataAtRisk]");
        var ids = data.Locator("[data-testid=preflight-subject-id]").First;
        await Expect(ids).Not.ToBeVisibleAsync();
        await data.Locator("[data-testid=preflight-subjects] summary").First.ClickAsync();
        await Expect(ids).ToBeVisibleAsync();
        await Expect(ids).ToHaveTextAsync(new Regex("^pvc-"));

        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor($"safe-reset-preflight-grouped-{width}.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9.-]*/[a-z0-9][a-z0-9.-]*$")]
    private static partial Regex QualifiedName();

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task The_bgp_tile_is_one_line_and_its_explanation_is_on_the_bgp_page(int width, int height)
    {
        var page = await SignedInAsync("viewer", "/", width, height);
        var tile = page.Locator("[data-testid=tile-bgp]");
        var line = tile.Locator("[data-testid=tile-bgp-line]");
        await Expect(line).ToBeVisibleAsync(new() { Timeout = 30_000 });
        // home-ops runs BGPv1: the tile names it and links to its warnings; the paragraphs are not on the tile.
        await Expect(line).ToContainTextAsync("CiliumBGPPeeringPolicy");
        await Expect(line.Locator("[data-testid=tile-bgp-warnings]")).ToHaveAttributeAsync("href", new Regex("bgp$"));
        var lines = await line.EvaluateAsync<int>(@"el => {
            const r = document.createRange(); r.selectNodeContents(el);
            return new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top))).size; }");
        Assert.Equal(1, lines);
        var body = await tile.Locator(".tile-body").InnerTextAsync();
        Assert.DoesNotContain("1.19", body);
        Assert.DoesNotContain("not in the API", body);
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor($"overview-{width}.png"), FullPage = true });

        await line.Locator("[data-testid=tile-bgp-warnings]").ClickAsync();
        await page.WaitForURLAsync(new Regex("/bgp$"));
        var status = page.Locator("[data-testid=bgp-status]");
        await Expect(status).ToContainTextAsync("1.19", new() { Timeout = 15_000 });
        await Expect(status.Locator("[data-testid=bgp-explanation] code").First).ToHaveTextAsync("cilium-dbg bgp peers");
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor($"bgp-{width}.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_click_on_run_straight_after_navigating_to_a_workflow_page_takes_effect()
    {
        var page = await SignedInAsync("admin", "/");
        // A slow link (a phone over Wi-Fi): the circuit's negotiation takes two seconds, so the prerendered page is up well
        // before the circuit. A click on a prerendered control in that window would be lost.
        await page.RouteAsync("**/_blazor/negotiate**", async route => { await Task.Delay(2_000); await route.ContinueAsync(); });
        // A full page load, as after following a link from a chat or a bookmark on a phone: the page arrives prerendered.
        await page.GotoAsync(_dashboard.BaseUrl + "/operations/workflows/etcd:members?via-node=mini01",
            new() { WaitUntil = WaitUntilState.Commit });
        var run = page.Locator("[data-testid=launch-run]");
        // While prerendered, Run is shown as not ready and takes no click; the click lands once the circuit is there.
        await run.ClickAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=run-monitor]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator("[data-testid=run-link]")).ToBeVisibleAsync();

        // The prerendered page itself shows the control as not ready (fetched without the circuit's script).
        var html = await page.Context.APIRequest.GetAsync(_dashboard.BaseUrl + "/operations/workflows/etcd:members?via-node=mini01");
        var body = await html.TextAsync();
        Assert.Matches(new Regex("data-testid=\"launch-run\"[^>]*data-ready=\"false\"|data-ready=\"false\"[^>]*data-testid=\"launch-run\""), body);
        Assert.Contains("not-interactive", body);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_browser_console_is_clean_on_every_page()
    {
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var messages = new List<string>();
        page.Console += (_, m) => { if (m.Type is "error" or "warning") lock (messages) messages.Add($"{page.Url} {m.Type}: {m.Text}"); };
        page.PageError += (_, e) => { lock (messages) messages.Add($"{page.Url} page error: {e}"); };
        // From the first page on: the sign-in round trip (provider form, form_post back) is read too.
        await SignIn.AsAsync(page, _dashboard, "admin", "/");
        await SignIn.WaitForCircuitAsync(page);
        // A real run, so that the run page and the audit log show one (not only their empty states).
        await page.GotoAsync(_dashboard.BaseUrl + "/operations/workflows/etcd:members?via-node=mini01");
        await page.Locator("[data-testid=launch-run]").ClickAsync(new() { Timeout = 30_000 });
        var runId = await page.Locator("[data-testid=run-monitor]").GetAttributeAsync("data-run-id", new() { Timeout = 15_000 });
        var pages = EveryPage().Select(p => p.Path.StartsWith("/operations/runs/", StringComparison.Ordinal) ? p with { Path = "/operations/runs/" + runId } : p).ToList();
        Assert.True(pages.Count >= 15, "routes: " + string.Join(", ", pages.Select(p => p.Path)));
        foreach (var (path, interactive) in pages)
        {
            await OpenAsync(page, _dashboard.BaseUrl + path, interactive);
            // Let late scripts (modules, the reconnect handler) report.
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            // What script-src 'self' refuses only when it runs (a handler on click, a javascript: link) is found in the DOM.
            var inline = await page.EvaluateAsync<string[]>(InlineScriptScript);
            lock (messages) messages.AddRange(inline.Select(i => $"{path} inline script: {i}"));
        }
        lock (messages) Assert.True(messages.Count == 0, "console:\n" + string.Join("\n", messages));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task At_390_px_no_page_scrolls_sideways_and_no_table_cell_breaks_a_word()
    {
        var page = await SignedInAsync("admin", "/", 390, 844);
        var problems = new List<string>();
        foreach (var (path, interactive) in EveryPage())
        {
            await OpenAsync(page, _dashboard.BaseUrl + path, interactive);
            // Tables fill from the live cluster: wait until a page that has one shows rows.
            if (await page.Locator("table").CountAsync() > 0)
                await page.Locator("tbody tr").First.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            if (overflow > 0) problems.Add($"{path} scrolls sideways by {overflow} px");
            var broken = await page.EvaluateAsync<string[]>(BrokenWordsScript);
            problems.AddRange(broken.Select(b => $"{path}: {b}"));
            if (path is "/" or "/longhorn" or "/authentik" or "/flux")
                await page.ScreenshotAsync(new() { Path = Artifacts.PathFor($"phone-390{(path == "/" ? "-overview" : path.Replace('/', '-'))}.png"), FullPage = true });
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        await page.Context.CloseAsync();
    }

    /// <summary>Script that <c>script-src 'self'</c> blocks: inline script elements, on* handler attributes, javascript: URLs.</summary>
    private const string InlineScriptScript = @"() => {
        const out = [];
        for (const s of document.querySelectorAll('script:not([src])'))
            if (s.type !== 'application/json') out.push('<script> ' + s.textContent.slice(0, 80));
        for (const el of document.querySelectorAll('*'))
            for (const a of el.attributes) {
                if (a.name.startsWith('on')) out.push(`<${el.localName} ${a.name}=${a.value.slice(0, 60)}>`);
                if ((a.name === 'href' || a.name === 'src' || a.name === 'action') && /^\s*javascript:/i.test(a.value)) out.push(`<${el.localName} ${a.name}=${a.value.slice(0, 60)}>`);
            }
        return out; }";

    /// <summary>
    /// Every word (a run of letters and digits) in a visible table cell whose characters sit on more than one line: a
    /// word broken in the middle. Breaks at a hyphen, a slash or a dot are where names may wrap.
    /// </summary>
    private const string BrokenWordsScript = @"() => {
        const out = [];
        for (const cell of document.querySelectorAll('td, th')) {
            if (!cell.checkVisibility()) continue;
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                if (!node.parentElement || !node.parentElement.checkVisibility()) continue;
                for (const m of node.data.matchAll(/[\p{L}\p{N}]+/gu)) {
                    if (m[0].length < 2) continue;
                    const r = document.createRange();
                    r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
                    const tops = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
                    if (tops.size > 1) out.push(`'${m[0]}' broken in '${node.data.trim().slice(0, 80)}'`);
                }
            }
        }
        return out; }";
}
