using HomeOps.Cluster.Sources;
using HomeOps.Dashboard;
using HomeOps.Dashboard.Components;
using HomeOps.Dashboard.Endpoints;
using HomeOps.Dashboard.Hosting;
using MudBlazor.Services;
using Serilog;

var builder = WebApplication.CreateBuilder(args);

// 1. Logging: Serilog, levels from the "Serilog" section (toolchain G19).
builder.Services.AddSerilog((sp, lc) => lc.ReadFrom.Configuration(builder.Configuration).WriteTo.Console());

// 2. Base configuration: the repository's appsettings.json, lowest priority (env vars and the command line override it).
builder.AddBaseAppSettings();

// 3. Cluster:Mode = Simulator (default): the embedded simulator, started now so its kubeconfig is configuration.
var simulator = await builder.StartEmbeddedSimulatorAsync();

// 4. Cluster data: one informer per kind and the Authentik poller, feeding the process-wide store.
builder.Services.AddClusterSources(builder.Configuration);

// 5. UI.
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddDashboardUi(builder.Configuration);
// Auth (issue 3): AddAuthentication/AddAuthorization here, UseAuthentication/UseAuthorization in the pipeline below.

var app = builder.Build();

app.UseSerilogRequestLogging();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();

app.MapStaticAssets();
app.MapHealthEndpoints();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.PrintStartupBanner(simulator?.KubeconfigPath);

await app.RunAsync();
