using Bunit;
using Bunit.TestDoubles;
using HomeOps.Cluster.State;
using HomeOps.Dashboard.Tests.TestData;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace HomeOps.Dashboard.Tests;

/// <summary>
/// bUnit context with MudBlazor, an interactive renderer (G5), loose JS interop (G6) and a real store fed with
/// hand-made snapshots. xunit v3 disposes it asynchronously (G4).
/// </summary>
public abstract class DashboardTestContext : BunitContext
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <param name="settings">Extra configuration (e.g. <c>Dashboard:VirtualizeThreshold</c>) over the test defaults.</param>
    /// <param name="services">Extra services (e.g. the Talos feed), added before the container freezes.</param>
    protected DashboardTestContext(bool interactive = true, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        // Services first: bUnit freezes the container once the renderer is created (SetRendererInfo does that).
        Services.AddMudServices();
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Dashboard:BatchWindow"] = "00:00:00.020" })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        Services.AddDashboardUi(config);
        Services.AddSingleton(_ => Store ?? UseCluster());
        // The drawer asks the timeline what changed before an object turned red: an empty one here
        // (the timeline's own page and controls are tested over the real database in TimelinePageTests).
        Services.AddSingleton<HomeOps.Operations.Timeline.ITimelineLog>(new EmptyTimelineLog());
        Services.AddSingleton<HomeOps.Operations.Timeline.ITimelineFeed>(new HomeOps.Operations.Timeline.NoTimelineFeed());
        Services.AddOptions<HomeOps.Dashboard.Auth.AuthOptions>();
        // Pages and the layout read the signed-in user (AuthorizeView, the user menu): a viewer by default.
        Authorization = AddAuthorization();
        Authorization.SetAuthorized("viewer");
        Authorization.SetClaims(new System.Security.Claims.Claim("groups", "homeops-viewers"));
        services?.Invoke(Services);
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new RendererInfo(interactive ? "Server" : "Static", interactive));
    }

    protected BunitAuthorizationContext Authorization { get; }

    private sealed class EmptyTimelineLog : HomeOps.Operations.Timeline.ITimelineLog
    {
        public Task<IReadOnlyList<HomeOps.Operations.Timeline.TimelineEntry>> QueryAsync(HomeOps.Operations.Timeline.TimelineQuery query, CancellationToken ct = default) =>
            Task.FromResult<IReadOnlyList<HomeOps.Operations.Timeline.TimelineEntry>>([]);
    }

    protected ClusterFixture Fixture { get; private set; } = ClusterFixture.HomeOps();

    protected ClusterStore? Store { get; private set; }

    /// <summary>The store components get, built from <paramref name="fixture"/> (default: healthy home-ops). Call before rendering.</summary>
    protected ClusterStore UseCluster(ClusterFixture? fixture = null)
    {
        Fixture = fixture ?? ClusterFixture.HomeOps();
        Store = Fixture.BuildStore();
        return Store;
    }
}
