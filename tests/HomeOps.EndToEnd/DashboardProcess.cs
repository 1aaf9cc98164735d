using System.Text.RegularExpressions;
using HomeOps.Testing;

namespace HomeOps.EndToEnd;

/// <summary>The dashboard as a real process (the README's quick start), with its console output captured.</summary>
public sealed class DashboardProcess : IAsyncDisposable
{
    private readonly DashboardAppProcess _app;

    private DashboardProcess(DashboardAppProcess app) => _app = app;

    /// <summary>Starts the built dashboard on a dynamic loopback port with the given environment.</summary>
    public static DashboardProcess Start(IDictionary<string, string>? environment = null)
    {
        var env = Defaults();
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) env[k] = v;
        // Development: static assets from build output (toolchain G1).
        return new DashboardProcess(DashboardAppProcess.Start(RepoPaths.DashboardDll, "Development", env));
    }

    /// <summary>
    /// The README's quick start: <c>dotnet run --project src/HomeOps.Dashboard</c> (launch profile, project folder as
    /// content root), with scenarios off and <paramref name="appArguments"/> passed to the dashboard.
    /// </summary>
    public static DashboardProcess StartAsQuickStart(IEnumerable<string> appArguments, IDictionary<string, string>? environment = null)
    {
        var env = Defaults();
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) env[k] = v;
        return new DashboardProcess(DashboardAppProcess.StartAsQuickStart(RepoPaths.Root, RepoPaths.Configuration, appArguments, env));
    }

    /// <summary>
    /// Scenarios off, and a data home of its own: unconfigured, the dashboard keeps its database under
    /// <c>$XDG_DATA_HOME</c>, which must be neither the tester's own nor shared with other dashboards under test.
    /// </summary>
    private static Dictionary<string, string> Defaults() => new()
    {
        ["Simulator__Scenarios__Enabled"] = "false",
        ["XDG_DATA_HOME"] = Directory.CreateTempSubdirectory("homeops-e2e-xdg-").FullName,
    };

    public string Output => _app.Output;

    /// <summary>Waits for a console line matching <paramref name="pattern"/> and returns its first group.</summary>
    public Task<string> WaitForLineAsync(Regex pattern, TimeSpan? timeout = null) =>
        _app.WaitForLineAsync(pattern, timeout ?? TimeSpan.FromSeconds(60));

    /// <summary>Stops the process the way Kubernetes does (SIGTERM), so it flushes its logs; kills it if it hangs.</summary>
    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
