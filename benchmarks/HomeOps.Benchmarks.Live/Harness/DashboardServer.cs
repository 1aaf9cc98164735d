using System.Diagnostics;
using System.Text.RegularExpressions;

namespace HomeOps.Benchmarks.Live.Harness;

/// <summary>
/// The dashboard as its own process (so its memory is the dashboard's alone): the published Release app in
/// Production, or — for the smoke — the build output in Development (static assets from build output need it, toolchain G1).
/// </summary>
public sealed partial class DashboardServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly Lock _gate = new();

    private DashboardServer(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int ProcessId => _process.Id;

    public string BaseUrl { get; private set; } = "";

    public string Output { get { lock (_gate) return string.Join("\n", _output); } }

    public static async Task<DashboardServer> StartAsync(string dll, bool production, IDictionary<string, string> environment)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add("http://127.0.0.1:0");
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = production ? "Production" : "Development";
        // Per-request log lines to the console cost CPU the measurement should not pay; warnings still show.
        psi.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        psi.Environment["Serilog__MinimumLevel__Override__Microsoft.Hosting.Lifetime"] = "Warning";
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        var server = new DashboardServer(Process.Start(psi)!);
        try
        {
            server.BaseUrl = await server.WaitForLineAsync(UrlLine(), TimeSpan.FromSeconds(90));
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
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return 0;
    }

    /// <summary>Total CPU time the process has used (user + system).</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_gate)
        {
            if (_output.Count < 5000) _output.Add(line);
        }
    }

    private async Task<string> WaitForLineAsync(Regex pattern, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (_gate)
                foreach (var line in _output)
                    if (pattern.Match(line) is { Success: true } m) return m.Groups[1].Value;
            if (_process.HasExited) throw new InvalidOperationException("dashboard exited:\n" + Output);
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no line matching {pattern} in:\n{Output}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await term.WaitForExitAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try { await _process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"^HomeOps dashboard: (http://\S+)")]
    private static partial Regex UrlLine();
}
