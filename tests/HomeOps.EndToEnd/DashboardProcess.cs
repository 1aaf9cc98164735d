using System.Diagnostics;
using System.Text.RegularExpressions;

namespace HomeOps.EndToEnd;

/// <summary>The dashboard as a real process (the README's quick start), with its console output captured.</summary>
public sealed class DashboardProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly Lock _gate = new();

    private DashboardProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_gate) _output.Add(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_gate) _output.Add(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts the built dashboard on a dynamic loopback port with the given environment.</summary>
    public static DashboardProcess Start(IDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(RepoPaths.DashboardDll)!,
        };
        psi.ArgumentList.Add(RepoPaths.DashboardDll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add("http://127.0.0.1:0");
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";   // static assets from build output (toolchain G1)
        psi.Environment["Simulator__Scenarios__Enabled"] = "false";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return new DashboardProcess(Process.Start(psi)!);
    }

    public string Output { get { lock (_gate) return string.Join("\n", _output); } }

    /// <summary>Waits for a console line matching <paramref name="pattern"/> and returns its first group.</summary>
    public async Task<string> WaitForLineAsync(Regex pattern, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
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

    /// <summary>Stops the process the way Kubernetes does (SIGTERM), so it flushes its logs; kills it if it hangs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await term.WaitForExitAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try { await _process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        _process.Dispose();
    }
}
