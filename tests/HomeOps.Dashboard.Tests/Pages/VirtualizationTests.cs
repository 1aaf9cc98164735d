using Bunit;
using HomeOps.Cluster.Model;
using HomeOps.Dashboard.Components.Pages;
using HomeOps.Dashboard.Tests.TestData;

namespace HomeOps.Dashboard.Tests.Pages;

public class VirtualizationTests : DashboardTestContext
{
    private static ClusterFixture ManyBackups()
    {
        var fixture = ClusterFixture.HomeOps();
        for (var i = 0; i < 300; i++) fixture.With(Snap.Backup($"backup-{i:D3}", "pvc-postgres"));
        fixture.With(Snap.Backup("backup-broken", "pvc-postgres", "Error"));
        return fixture;
    }

    [Fact]
    public void A_long_list_is_virtualized_worst_first()
    {
        UseCluster(ManyBackups());
        var cut = Render<Longhorn>();
        var rows = cut.FindAll("[data-testid=longhorn-backups] tr.resource-row");
        Assert.InRange(rows.Count, 1, 300);   // not all 301 rows in the DOM
        Assert.Equal("row-backup-backup-broken", rows[0].GetAttribute("data-testid"));
        Assert.Equal("Failed", rows[0].GetAttribute("data-health"));
        // The short volume list is not virtualized: every row is there.
        Assert.Equal(3, cut.FindAll("[data-testid=longhorn-volumes] tr.resource-row").Count);
    }
}
