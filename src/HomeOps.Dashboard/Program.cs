using HomeOps.Cluster.Sources;
using HomeOps.Dashboard;
using HomeOps.Dashboard.Auth;
using HomeOps.Dashboard.Components;
using HomeOps.Dashboard.Endpoints;
using HomeOps.Dashboard.Hosting;
using HomeOps.Dashboard.Hubs;
using HomeOps.Dashboard.Notifications;
using HomeOps.Dashboard.Security;
using MudBlazor.Services;
using Serilog;

var builder = WebApplication.CreateBuilder(args);

// 1. Logging: Serilog, levels from the "Serilog" section (toolchain G19).
builder.Services.AddSerilog((sp, lc) => lc.ReadFrom.Configuration(builder.Configuration).WriteTo.Console());

// 2. Base configuration: the repository's appsettings.json, lowest priority (env vars and the command line override it).
builder.AddBaseAppSettings();
builder.Configuration.AddUrlSecretRedaction(); // every Serilog logger built from configuration masks secrets in URLs

// 3. Cluster:Mode = Simulator (default): the embedded simulator, started now so its kubeconfig is configuration,
//    and — unless Oidc:Authority points at a real Authentik — its Authentik-shaped OpenID provider.
var simulator = await builder.StartEmbeddedSimulatorAsync();
if (simulator is not null) await builder.StartEmbeddedIdentityAsync();

// 4. Sign-in through Authentik, bearer tokens for programs, viewer/operator policies, default-deny.
builder.AddDashboardAuthentication();

// 5. Cluster data: one informer per kind and the Authentik poller, feeding the process-wide store.
builder.Services.AddClusterSources(builder.Configuration);

// 6. UI, the hub for other clients, guarded operations.
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddDashboardUi(builder.Configuration);
builder.Services.AddDashboardNotifications(builder.Configuration);
builder.Services.AddSignalR(o => o.MaximumReceiveMessageSize = 32 * 1024);
builder.Services.AddHostedService<ClusterHubBroadcaster>();
builder.AddDashboardOperations();
builder.AddDashboardRateLimits();
builder.AddMetricsAccess();

var app = builder.Build();

app.UseForwardedHeaders();
// Embedded provider only: its sign-in pages on this origin, before the dashboard's own headers and policies apply.
app.UseEmbeddedIdentityFrontChannel();
app.UseSecurityHeaders(app.Configuration["Oidc:Authority"]);
app.UseSerilogRequestLogging();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}
// People get the not-found page; programs (API, hubs) keep their plain status codes.
app.UseWhen(ctx => !AuthenticationSetup.IsApi(ctx.Request),
    b => b.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
// Sign-in is limited per client IP before authentication (which handles the OIDC callback itself); actions per user after it.
app.UseSignInRateLimit();
// The hubs refuse cookie-carrying requests from another site's page (negotiate and WebSocket upgrade).
app.UseHubOriginCheck();
app.UseSignInOutagePage();
app.UseAuthentication();
app.UseAuthorization();
app.UseActionRateLimit();
app.UseAntiforgery();

app.MapStaticAssets().AllowAnonymous();
app.MapHealthEndpoints();
app.MapMetricsEndpoint();
app.MapAuthEndpoints();
app.MapBreakGlassEndpoints();
app.MapClusterApi();
app.MapOperationsEndpoints();
app.MapPodLogEndpoints();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode()
    .RequireAuthorization(Policies.Viewer)
    // The framework's own script is public: the anonymous sign-in pages load it too. It holds no data.
    .Add(b =>
    {
        if (b is RouteEndpointBuilder r && Policies.IsPublicFrameworkScript(r.RoutePattern.RawText))
            b.Metadata.Add(new Microsoft.AspNetCore.Authorization.AllowAnonymousAttribute());
    });

app.PrintStartupBanner(simulator?.KubeconfigPath);

await app.RunAsync();
