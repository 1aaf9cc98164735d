using Bunit;
using HomeOps.Cluster.Sources;
using HomeOps.Dashboard.Components.Controls;
using HomeOps.Operations.Runners;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Tests.Components;

/// <summary>
/// Viewers never see logs (issue 16): rendered for a viewer, the log panel shows the refusal that PodLogAccess gives on
/// the server, and no line; the Kubernetes API is never asked (the reader's client would fail: no cluster here).
/// </summary>
public sealed class PodLogPanelTests : BunitContext
{
    public PodLogPanelTests()
    {
        // Every service before the renderer exists (bUnit freezes the container then), so not DashboardTestContext.
        Services.AddMudServices();
        Services.AddDashboardUi(new ConfigurationBuilder().Build());
        Services.AddSingleton(new HomeOps.Cluster.State.ClusterStore());
        Services.AddOptions<HomeOps.Dashboard.Auth.AuthOptions>();
        Services.AddSingleton(SecretMasker.None);
        Services.AddSingleton(Options.Create(new ClusterOptions()));
        Services.AddSingleton<KubernetesClientFactory>();
        Services.AddSingleton(Options.Create(new PodLogOptions()));
        Services.AddSingleton<PodLogReader>();
        Services.AddSingleton(TimeProvider.System);
        var auth = AddAuthorization();
        auth.SetAuthorized("viewer");
        auth.SetClaims(new System.Security.Claims.Claim("groups", "homeops-viewers"));
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", true));
    }

    [Fact]
    public void A_viewer_gets_the_refusal_and_no_log_lines()
    {
        var cut = Render<PodLogPanel>(p => p
            .Add(x => x.Namespace, "onepassword-connect")
            .Add(x => x.Pod, "onepassword-connect-abc")
            .Add(x => x.Containers, ["onepassword-connect"]));

        Assert.Equal(HomeOps.Dashboard.Services.PodLogAccess.OperatorsOnly, cut.Find("[data-testid=pod-log-refused]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=pod-log-lines]"));
        Assert.Empty(cut.FindAll("[data-testid=pod-log-error]"));
    }
}
