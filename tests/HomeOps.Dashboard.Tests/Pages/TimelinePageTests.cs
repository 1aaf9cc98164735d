using System.Collections.Immutable;
using Bunit;
using HomeOps.Cluster.Model;
using HomeOps.Dashboard.Components.Controls;
using HomeOps.Dashboard.Components.Pages;
using HomeOps.Dashboard.Tests.Operations;
using HomeOps.Operations.Timeline;
using Microsoft.Extensions.DependencyInjection;

namespace HomeOps.Dashboard.Tests.Pages;

/// <summary>The /timeline page and the drawer's "what changed before it turned red", over the real recorder and database.</summary>
public sealed class TimelinePageTests : OperationsTestContext
{
    private TimelineRecorder Recorder => Services.GetRequiredService<TimelineRecorder>();

    private static TimelineEntry Entry(DateTimeOffset at, TimelineCategory category, string area, string kind, string? ns, string name, string summary, string? to = null) =>
        new() { At = at, Category = category, Area = area, Kind = kind, Namespace = ns, Name = name, Summary = summary, To = to };

    private async Task SeedAsync(DateTimeOffset now)
    {
        Recorder.Record(Entry(now.AddDays(-3), TimelineCategory.Revision, "Flux", "Kustomization", "flux-system", "apps", "revision main@sha1:0000000 → main@sha1:1111111"));
        Recorder.Record(Entry(now.AddMinutes(-30), TimelineCategory.Reboot, "Nodes", "Node", null, "mini02", "rebooted (boot id changed)"));
        Recorder.Record(Entry(now.AddMinutes(-20), TimelineCategory.Action, TimelineEntry.OperationsArea, "Action", "flux-system", "apps", "flux.suspend Succeeded by admin"));
        Recorder.Record(Entry(now.AddMinutes(-10), TimelineCategory.Health, "Flux", "Kustomization", "flux-system", "apps", "Healthy → Failed (HealthCheckFailed) <script>x</script>", "Failed"));
        await Recorder.FlushAsync(Xunit.TestContext.Current.CancellationToken);
    }

    private static IEnumerable<string?> Objects(IRenderedComponent<ChangeTimeline> cut) =>
        cut.FindAll("tr.timeline-row").Select(r => r.GetAttribute("data-category") + " " + r.GetAttribute("data-object"));

    [Fact]
    public async Task Area_object_and_period_filters_narrow_the_entries()
    {
        await SeedAsync(DateTimeOffset.UtcNow);
        SignInAsViewer();
        var cut = Render<ChangeTimeline>();

        // Last 24 hours by default: newest first, the three-day-old revision left out.
        cut.WaitForAssertion(() => Assert.Equal(["Health flux-system/apps", "Action flux-system/apps", "Reboot mini02"], Objects(cut)), Wait);
        Assert.Empty(cut.FindAll("tr.timeline-row script"));
        Assert.Contains("<script>x</script>", cut.Find("tr[data-category=Health]").TextContent);

        cut.Find("[data-testid=timeline-filter-area]").Change("Nodes");
        cut.WaitForAssertion(() => Assert.Equal(["Reboot mini02"], Objects(cut)), Wait);

        cut.Find("[data-testid=timeline-filter-area]").Change("");
        cut.Find("[data-testid=timeline-filter-object]").Input("flux-system/ap");
        cut.WaitForAssertion(() => Assert.Equal(["Health flux-system/apps", "Action flux-system/apps"], Objects(cut)), Wait);

        cut.Find("[data-testid=timeline-filter-period]").Change("7d");
        cut.WaitForAssertion(() => Assert.Equal(["Health flux-system/apps", "Action flux-system/apps", "Revision flux-system/apps"], Objects(cut)), Wait);

        cut.Find("[data-testid=timeline-filter-object]").Input("nothing-like-this");
        cut.WaitForAssertion(() => Assert.Equal("No changes match.", cut.Find("[data-testid=timeline-table-empty]").TextContent), Wait);
    }

    [Fact]
    public async Task New_entries_appear_live_when_they_match_the_filter()
    {
        await SeedAsync(DateTimeOffset.UtcNow);
        SignInAsViewer();
        var cut = Render<ChangeTimeline>();
        cut.Find("[data-testid=timeline-filter-area]").Change("Flux");
        cut.WaitForAssertion(() => Assert.Equal(["Health flux-system/apps"], Objects(cut)), Wait);

        Recorder.Record(Entry(DateTimeOffset.UtcNow, TimelineCategory.Reboot, "Nodes", "Node", null, "mini03", "rebooted (boot id changed)"));
        Recorder.Record(Entry(DateTimeOffset.UtcNow, TimelineCategory.Chart, "Flux", "HelmRelease", "default", "podinfo", "chart podinfo@6.5.0 → podinfo@6.5.1"));
        await Recorder.FlushAsync(Xunit.TestContext.Current.CancellationToken);

        cut.WaitForAssertion(() => Assert.Equal(["Chart default/podinfo", "Health flux-system/apps"], Objects(cut)), Wait);
    }

    [Fact]
    public async Task A_warning_repeated_on_another_replica_raises_the_count_of_the_row_already_shown()
    {
        SignInAsViewer();
        var cut = Render<ChangeTimeline>();
        TimelineEntry Warning(string pod) => new()
        {
            At = DateTimeOffset.UtcNow, Category = TimelineCategory.Warning, Area = "Workloads", Kind = "Pod", Namespace = "headlamp", Name = pod,
            Summary = "BackOff: Back-off pulling image", To = "BackOff", MergeUnder = new MergeTarget("Deployment", "headlamp"),
        };
        Recorder.Record(Warning("headlamp-5d8f-aaaaa"));
        await Recorder.FlushAsync(Xunit.TestContext.Current.CancellationToken);
        cut.WaitForAssertion(() => Assert.Equal(["Warning headlamp/headlamp-5d8f-aaaaa"], Objects(cut)), Wait);
        Assert.Empty(cut.FindAll("[data-testid=timeline-count]"));

        Recorder.Record(Warning("headlamp-5d8f-bbbbb"));
        await Recorder.FlushAsync(Xunit.TestContext.Current.CancellationToken);
        cut.WaitForAssertion(() => Assert.Equal(["Warning headlamp/headlamp"], Objects(cut)), Wait);
        Assert.Equal("×2", cut.Find("[data-testid=timeline-count]").TextContent.Trim());
    }

    [Fact]
    public async Task A_red_objects_drawer_lists_what_changed_in_the_30_minutes_before_across_the_cluster()
    {
        var now = DateTimeOffset.UtcNow;
        await SeedAsync(now);
        Recorder.Record(Entry(now.AddMinutes(-45), TimelineCategory.Chart, "Flux", "HelmRelease", "default", "too-early", "chart x → y"));
        await Recorder.FlushAsync(Xunit.TestContext.Current.CancellationToken);
        var failed = new ResourceSnapshot(Kinds.Kustomization,
            new ObjectMeta("uid-apps", "apps", "flux-system", "1", 1, null, ObjectMeta.NoLabels, ObjectMeta.NoLabels),
            NoDetails.Instance, new Verdict(HealthStatus.Failed, "HealthCheckFailed", "podinfo not ready", now.AddMinutes(-9)), [], "");
        SignInAsViewer();

        var cut = Render<ChangesBeforeRed>(p => p.Add(c => c.Resource, failed).Add(c => c.Now, now));

        // It turned red at the recorded transition (10 min ago); the 30 minutes before reach back to the reboot, not the chart change.
        cut.WaitForAssertion(() => Assert.Equal(["Health", "Action", "Reboot"],
            cut.FindAll("[data-testid=before-red] tr.timeline-row").Select(r => r.GetAttribute("data-category"))), Wait);
        Assert.Contains("minutes before this turned failed", cut.Find("[data-testid=before-red-title]").TextContent);

        var healthy = failed with { Verdict = new Verdict(HealthStatus.Healthy, "ReconciliationSucceeded", "") };
        cut.Render(p => p.Add(c => c.Resource, healthy).Add(c => c.Now, now));
        Assert.Empty(cut.FindAll("[data-testid=before-red-title]"));
    }
}
