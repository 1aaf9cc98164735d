using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using HomeOps.Cluster.State;
using HomeOps.Dashboard.Auth;
using HomeOps.Dashboard.Security;
using HomeOps.Dashboard.Tests.TestData;
using HomeOps.Operations;
using HomeOps.Operations.Audit;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Flux;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace HomeOps.Dashboard.Tests.Operations;

/// <summary>
/// bUnit context for the operations UI: MudBlazor, a live store from <see cref="ClusterFixture"/>, and the real
/// operations engine (SQLite in a temp folder, real process runner). Flux objects live in a recording in-memory client.
/// Sign in with <see cref="SignInAsOperator"/> or <see cref="SignInAsViewer"/> before rendering.
/// </summary>
public abstract class OperationsTestContext : BunitContext
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly BunitAuthorizationContext _auth;

    protected OperationsTestContext(ClusterFixture? fixture = null, RateLimitOptions? rateLimits = null, IDictionary<string, string?>? settings = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "homeops-dashboard-ops-tests", Guid.NewGuid().ToString("N"));
        Checkout = Directory.CreateDirectory(Path.Combine(Root, "checkout")).FullName;
        Definitions = Directory.CreateDirectory(Path.Combine(Root, "definitions")).FullName;
        WriteTestWorkflows(Definitions);
        Fixture = fixture ?? ClusterFixture.HomeOps();
        Store = Fixture.BuildStore();

        // Services first: bUnit freezes the container once the renderer exists.
        Services.AddMudServices();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dashboard:BatchWindow"] = "00:00:00.020",
            ["Operations:DataDirectory"] = Path.Combine(Root, "data"),
            ["Operations:HomeOpsCheckout"] = Checkout,
            ["Operations:DefinitionsDirectory"] = Definitions,
            ["Operations:DashboardNodeName"] = "elsewhere",
            ["Operations:OutputFlushInterval"] = "00:00:00.100",
            ["Operations:GatePollInterval"] = "00:00:00.050",
        }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        Services.AddDashboardUi(config);
        Services.AddOptions<AuthOptions>();
        Services.AddSingleton(Store);
        Services.AddSingleton<IFluxObjectClient>(FluxObjects);
        Services.AddHomeOpsOperations(config);
        Services.AddActionBudget(rateLimits ?? new RateLimitOptions());
        _auth = AddAuthorization();
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new RendererInfo("Server", true));
        Services.GetRequiredService<IOperationsEngine>().InitializeAsync(Xunit.TestContext.Current.CancellationToken).GetAwaiter().GetResult();
    }

    protected string Root { get; }
    protected string Checkout { get; }
    protected string Definitions { get; }
    protected ClusterFixture Fixture { get; }
    protected ClusterStore Store { get; }
    protected RecordingFluxClient FluxObjects { get; } = new();

    protected IOperationsEngine Engine => Services.GetRequiredService<IOperationsEngine>();
    protected IAuditLog Audit => Services.GetRequiredService<IAuditLog>();

    /// <summary>Signed in as an operator, just now (fresh for step-up).</summary>
    protected void SignInAsOperator(string user = "admin")
    {
        _auth.SetAuthorized(user);
        _auth.SetClaims(
            new Claim("preferred_username", user),
            new Claim(Policies.GroupsClaim, "homeops-operators"),
            new Claim(ActorFactory.AuthTimeClaim, DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString()));
        _auth.SetPolicies(Policies.Viewer, Policies.Operator);
    }

    protected void SignInAsViewer(string user = "viewer")
    {
        _auth.SetAuthorized(user);
        _auth.SetClaims(
            new Claim("preferred_username", user),
            new Claim(Policies.GroupsClaim, "homeops-viewers"),
            new Claim(ActorFactory.AuthTimeClaim, DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString()));
        _auth.SetPolicies(Policies.Viewer);
    }

    /// <summary>Dialogs and menus render into the providers, as in MainLayout.</summary>
    protected IRenderedComponent<MudDialogProvider> RenderProviders()
    {
        Popovers = Render<MudPopoverProvider>();
        return Render<MudDialogProvider>();
    }

    /// <summary>Where menus open (set by <see cref="RenderProviders"/>).</summary>
    protected IRenderedComponent<MudPopoverProvider> Popovers { get; private set; } = default!;

    /// <summary>A non-destructive workflow whose single step prints two lines with a pause between them.</summary>
    public const string TestWorkflowId = "test:echo";

    /// <summary>A non-destructive workflow whose single step prints 500 lines at once.</summary>
    public const string NoisyWorkflowId = "test:noisy";

    private static void WriteTestWorkflows(string directory) =>
        File.WriteAllText(Path.Combine(directory, "test.yaml"), $$"""
            workflows:
              - id: {{TestWorkflowId}}
                title: Echo twice
                category: test
                description: Prints a line, waits, prints another.
                destructive: false
                steps:
                  - id: echo
                    title: Echo
                    argv: [sh, -c, "echo first-line; sleep 1; echo second-line"]
                    timeout: 1m
              - id: {{NoisyWorkflowId}}
                title: Print many lines
                category: test
                description: Prints 500 numbered lines as fast as it can.
                destructive: false
                steps:
                  - id: print
                    title: Print
                    argv: [sh, -c, "i=1; while [ $i -le 500 ]; do echo noisy-$i; i=$((i+1)); done"]
                    timeout: 1m
            """);

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
