using AngleSharp.Dom;
using Bunit;
using HomeOps.Dashboard.Components.Pages.Operations;
using HomeOps.Operations.Audit;
using HomeOps.Operations.Engine;
using Microsoft.Extensions.DependencyInjection;

namespace HomeOps.Dashboard.Tests.Operations;

public sealed class SafeResetPageTests : OperationsTestContext
{
    [Fact]
    public void A_viewer_sees_the_workflow_and_its_caveats_but_no_control()
    {
        SignInAsViewer();
        RenderProviders();
        var cut = Render<SafeReset>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=operators-only]")), Wait);
        Assert.NotNull(cut.Find("[data-testid=caveats]"));
        Assert.Empty(cut.FindAll("[data-testid=launch-form]"));
        Assert.Empty(cut.FindAll("[data-testid=launch-run]"));
        Assert.Empty(cut.FindAll("input"));
    }

    [Fact]
    public void An_operator_picks_from_the_live_nodes_and_sees_the_preflight()
    {
        SignInAsOperator();
        RenderProviders();
        var cut = Render<SafeReset>();

        var picks = cut.FindAll("[data-testid^=pick-node-]").Select(e => e.GetAttribute("data-testid")).ToList();
        Assert.Equal(["pick-node-mini01", "pick-node-mini02", "pick-node-mini03"], picks);
        Assert.True(cut.Find("[data-testid=launch-run]").HasAttribute("disabled"), "nothing chosen yet");

        cut.Find("[data-testid=pick-node-mini02] input").Change(true);

        cut.WaitForAssertion(() => Assert.Equal("False", cut.Find("[data-testid=preflight]").GetAttribute("data-blocked")), Wait);
        Assert.Contains("May run", cut.Find("[data-testid=preflight-verdict]").TextContent);
        // Known defects are warnings (amber), never hidden.
        var warnings = cut.FindAll("[data-testid=preflight-warning]");
        Assert.Contains(warnings, w => w.TextContent.Contains("--graceful=false"));
        Assert.Contains(warnings, w => w.Closest(".mud-alert")!.ClassList.Contains("mud-alert-text-warning"));
        // The known defects are one block, led by their count.
        var known = cut.Find("[data-testid=preflight-group][data-kind=KnownDefects]");
        Assert.Equal(known.QuerySelectorAll("[data-testid=preflight-warning]").Length.ToString(), known.QuerySelector("[data-testid=preflight-group-count]")!.TextContent);
        Assert.Contains("172.29.51.12", cut.Find("[data-testid=planned-steps]").TextContent);
        Assert.False(cut.Find("[data-testid=launch-run]").HasAttribute("disabled"));
    }

    [Fact]
    public void Two_of_three_nodes_in_a_partial_reset_are_blocked_in_red_and_cannot_be_launched()
    {
        SignInAsOperator();
        RenderProviders();
        var cut = Render<SafeReset>();

        cut.Find("[data-testid=pick-node-mini01] input").Change(true);
        cut.Find("[data-testid=pick-node-mini02] input").Change(true);

        cut.WaitForAssertion(() => Assert.Equal("True", cut.Find("[data-testid=preflight]").GetAttribute("data-blocked")), Wait);
        var blocking = cut.FindAll("[data-testid=preflight-blocking]");
        Assert.Contains(blocking, b => b.GetAttribute("data-check") == "quorum" && b.TextContent.Contains("quorum would be lost"));
        Assert.All(blocking, b => Assert.Contains("mud-alert-text-error", b.Closest(".mud-alert")!.ClassName ?? ""));
        Assert.StartsWith("Blocked by", cut.Find("[data-testid=preflight-verdict]").TextContent.Trim());
        Assert.True(cut.Find("[data-testid=launch-run]").HasAttribute("disabled"));
        Assert.Empty(cut.FindAll("[data-testid=launch-api-unreachable]")); // live data: no API-unreachable override offered
    }

    [Fact]
    public async Task The_confirm_button_stays_disabled_until_the_exact_phrase_and_a_reason_are_typed()
    {
        SignInAsOperator();
        var dialogs = RenderProviders();
        var cut = Render<SafeReset>();
        cut.Find("[data-testid=pick-node-mini02] input").Change(true);
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=launch-run]").HasAttribute("disabled")), Wait);

        // The click's handler waits for the dialog, so it is awaited only after the dialog closed.
        var launching = cut.Find("[data-testid=launch-run]").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Equal("SAFE-RESET", dialogs.Find("[data-testid=confirm-expected]").TextContent), Wait);
        IElement Confirm() => dialogs.Find("[data-testid=confirm-run]");
        IElement Input(string id) => dialogs.Find($"[data-testid={id}] input, [data-testid={id}] textarea, input[data-testid={id}], textarea[data-testid={id}]");

        Assert.True(Confirm().HasAttribute("disabled"));
        Input("confirm-phrase-input").Input("safe-reset");
        Input("confirm-reason-input").Input("mini02 lost its etcd member");
        dialogs.WaitForAssertion(() => Assert.True(Confirm().HasAttribute("disabled")), Wait);   // wrong case
        Input("confirm-phrase-input").Input("SAFE-RESE");
        dialogs.WaitForAssertion(() => Assert.True(Confirm().HasAttribute("disabled")), Wait);   // incomplete
        Input("confirm-phrase-input").Input("SAFE-RESET");
        dialogs.WaitForAssertion(() => Assert.False(Confirm().HasAttribute("disabled")), Wait);
        Input("confirm-reason-input").Input("   ");
        dialogs.WaitForAssertion(() => Assert.True(Confirm().HasAttribute("disabled")), Wait);   // a reason is required

        // Cancelling starts nothing and records nothing.
        await dialogs.Find("[data-testid=confirm-cancel]").ClickAsync(new());
        await launching.WaitAsync(Wait, Xunit.TestContext.Current.CancellationToken);
        Assert.Empty(await Engine.ListRunsAsync(new RunQuery(), Xunit.TestContext.Current.CancellationToken));
        Assert.Empty(await Audit.QueryAsync(new AuditQuery(), Xunit.TestContext.Current.CancellationToken));
    }

    [Fact]
    public void A_node_name_in_the_query_string_that_is_not_a_live_node_is_ignored()
    {
        SignInAsOperator();
        RenderProviders();
        var nav = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        nav.NavigateTo("/operations/safe-reset?nodes=mini02,evil%3Brm%20-rf,mini09&scope=partial");
        var cut = Render<SafeReset>();

        var chosen = cut.FindAll("[data-testid^=pick-node-] input").Where(i => i.HasAttribute("checked")).ToList();
        Assert.Single(chosen);
        Assert.NotNull(cut.Find("[data-testid=pick-node-mini02] input[checked]"));
        Assert.DoesNotContain("evil", cut.Markup);
    }

    [Fact]
    public async Task Backup_first_is_the_default_and_skipping_it_names_the_dropped_step_asks_why_and_is_recorded()
    {
        SignInAsOperator();
        var dialogs = RenderProviders();
        var cut = Render<SafeReset>();
        cut.Find("[data-testid=pick-node-mini02] input").Change(true);
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=launch-run]").HasAttribute("disabled")), Wait);

        // Issue 13 i: `task maintenance:backup` runs first by default; nothing is dropped, nothing to explain.
        Assert.NotNull(cut.Find("[data-testid=param-backup-take] input[checked]"));
        Assert.Contains("task maintenance:backup", cut.Find("[data-testid=planned-steps]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=param-backup-left-out]"));
        Assert.Empty(cut.FindAll("[data-testid=param-scope-left-out]"));   // partial/full swap reset steps: nothing dropped

        // The operator's choice: skip it. The page names the step that will not run.
        cut.Find("[data-testid=param-backup-skip] input").Change(true);
        cut.WaitForAssertion(() => Assert.Contains("task maintenance:backup", cut.Find("[data-testid=param-backup-left-out]").TextContent), Wait);
        cut.WaitForAssertion(() => Assert.DoesNotContain("task maintenance:backup", cut.Find("[data-testid=planned-steps]").TextContent), Wait);

        var launching = cut.Find("[data-testid=launch-run]").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("NOT run by your choice: task maintenance:backup", dialogs.Find("[data-testid=confirm-summary]").TextContent), Wait);
        IElement Input(string id) => dialogs.Find($"[data-testid={id}] input, [data-testid={id}] textarea, input[data-testid={id}], textarea[data-testid={id}]");
        Input("confirm-phrase-input").Input("SAFE-RESET");
        dialogs.WaitForAssertion(() => Assert.True(dialogs.Find("[data-testid=confirm-run]").HasAttribute("disabled")), Wait); // no reason yet
        Input("confirm-reason-input").Input("backup taken 10 minutes ago by hand");
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("[data-testid=confirm-run]").HasAttribute("disabled")), Wait);
        await dialogs.Find("[data-testid=confirm-run]").ClickAsync(new());
        await launching.WaitAsync(Wait, Xunit.TestContext.Current.CancellationToken);

        var run = Assert.Single(await Engine.ListRunsAsync(new RunQuery("cluster:safe-reset"), Xunit.TestContext.Current.CancellationToken));
        var start = Assert.Single(await Audit.QueryAsync(new AuditQuery(Action: "run.start"), Xunit.TestContext.Current.CancellationToken));
        Assert.Equal("backup taken 10 minutes ago by hand", start.Reason);
        using (var parameters = System.Text.Json.JsonDocument.Parse(start.Parameters))
            Assert.Equal("skip", parameters.RootElement.GetProperty("backup").GetString());
        await Engine.CancelAsync(run.Id, "test over", new HomeOps.Operations.Guards.Actor("admin", ["homeops-operators"], true, DateTimeOffset.UtcNow));
        await Engine.WaitUntilStoppedAsync(run.Id, Xunit.TestContext.Current.CancellationToken);
    }
}
