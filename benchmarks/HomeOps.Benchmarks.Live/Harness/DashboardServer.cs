using System.Text.RegularExpressions;
using HomeOps.Testing;

namespace HomeOps.Benchmarks.Live.Harness;

/// <summary>
/// The dashboard as its own process (so its memory is the dashboard's alone): the published Release app in
/// Production, or — for the smoke — the build output in Development (static assets from build output need it, toolchain G1).
/// </summary>
public sealed partial class DashboardServer : IAsyncDisposable
{
    private readonly DashboardAppProcess _app;

    private DashboardServer(DashboardAppProcess app) => _app = app;

    public int ProcessId => _app.Process.Id;

    public string BaseUrl { get; private set; } = "";

    public string Output => _app.Output;

    public static async Task<DashboardServer> StartAsync(string dll, bool production, IDictionary<string, string> environment)
    {
        var env = new Dictionary<string, string>
        {
            // Per-request log lines to the console cost CPU the measurement should not pay; warnings still show.
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["Serilog__MinimumLevel__Override__Microsoft.Hosting.Lifetime"] = "Warning",
        };
        foreach (var (k, v) in environment) env[k] = v;
        var server = new DashboardServer(DashboardAppProcess.Start(dll, production ? "Production" : "Development", env,
            maxLines: 5000, stopGrace: TimeSpan.FromSeconds(15)));
        try
        {
            server.BaseUrl = await server._app.WaitForLineAsync(UrlLine(), TimeSpan.FromSeconds(90));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The process's resident set (VmRSS), i.e. its working set.</summary>
    public long WorkingSetBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{ProcessId}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return 0;
    }

    /// <summary>Total CPU time the process has used (user + system).</summary>
    public TimeSpan CpuTime()
    {
        _app.Process.Refresh();
        return _app.Process.TotalProcessorTime;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [GeneratedRegex(@"^HomeOps dashboard: (http://\S+)")]
    private static partial Regex UrlLine();
}
