using Bunit;
using HomeOps.Dashboard.Components.Pages.Operations;
using HomeOps.Operations.Audit;

namespace HomeOps.Dashboard.Tests.Operations;

public sealed class AuditPageTests : OperationsTestContext
{
    private async Task SeedAsync()
    {
        var now = DateTimeOffset.UtcNow;
        await Audit.RecordAsync(new AuditEntry { At = now.AddMinutes(-3), User = "admin", Groups = "homeops-operators", Action = "run.start", Target = "cluster:safe-reset mini02",
            Reason = "mini02 <script>alert(1)</script> wedged", Confirmation = "SAFE-RESET", Outcome = AuditOutcome.Succeeded, ExitCode = 0, RunId = Guid.NewGuid() });
        await Audit.RecordAsync(new AuditEntry { At = now.AddMinutes(-2), User = "viewer", Groups = "homeops-viewers", Action = "auth.refused", Target = "POST /api/v1/operations/runs/trigger",
            Outcome = AuditOutcome.Refused, Message = "viewer is not an operator" });
        await Audit.RecordAsync(new AuditEntry { At = now.AddMinutes(-1), User = "admin", Groups = "homeops-operators", Action = "flux.suspend", Target = "Kustomization flux-system/apps",
            Reason = "maintenance", Outcome = AuditOutcome.Succeeded });
    }

    [Fact]
    public async Task Entries_are_listed_newest_first_with_hostile_text_escaped()
    {
        await SeedAsync();
        SignInAsViewer();
        var cut = Render<AuditLog>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("tr.audit-row").Count), Wait);
        Assert.Equal(["flux.suspend", "auth.refused", "run.start"], cut.FindAll("tr.audit-row").Select(r => r.GetAttribute("data-action")));
        Assert.Empty(cut.FindAll("script"));
        Assert.Contains("<script>alert(1)</script>", cut.Find("tr[data-action='run.start']").TextContent);
        Assert.Equal("Refused", cut.Find("tr[data-action='auth.refused']").GetAttribute("data-outcome"));
    }

    [Fact]
    public async Task Filters_narrow_the_table_and_the_export_links_carry_them()
    {
        await SeedAsync();
        SignInAsViewer();
        var cut = Render<AuditLog>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("tr.audit-row").Count), Wait);

        cut.Find("[data-testid=audit-filter-user]").Input("admin");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("tr.audit-row").Count), Wait);
        cut.Find("[data-testid=audit-filter-outcome]").Change("Succeeded");
        cut.Find("[data-testid=audit-filter-action]").Input("flux.suspend");
        cut.WaitForAssertion(() => Assert.Equal("flux.suspend", Assert.Single(cut.FindAll("tr.audit-row")).GetAttribute("data-action")), Wait);

        var csv = cut.Find("a[data-testid=audit-export-csv]");
        Assert.Equal("/api/v1/audit?format=csv&user=admin&action=flux.suspend&outcome=Succeeded", csv.GetAttribute("href"));
        Assert.True(csv.HasAttribute("download"), "a download link, so the Blazor router does not take it");
        Assert.StartsWith("/api/v1/audit?format=json&", cut.Find("a[data-testid=audit-export-json]").GetAttribute("href"));

        cut.Find("[data-testid=audit-filter-clear]").Click();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("tr.audit-row").Count), Wait);
    }
}
