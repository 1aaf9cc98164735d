using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace HomeOps.EndToEnd;

/// <summary>
/// The README's quick start as a real process: the dashboard with no configuration starts its embedded simulator,
/// prints its URL and the simulator's kubeconfig, becomes ready, serves the overview, and the real kubectl works.
/// </summary>
public sealed partial class QuickStartProcessTests : IAsyncLifetime
{
    private Process? _process;
    private readonly List<string> _output = [];
    private readonly Lock _gate = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Dashboard_process_starts_on_the_embedded_simulator_and_kubectl_works_against_it()
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
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_gate) _output.Add(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_gate) _output.Add(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var url = await WaitForLineAsync(UrlLine());
        var kubeconfig = await WaitForLineAsync(KubeconfigLine());

        using var http = new HttpClient { BaseAddress = new Uri(url) };
        await Eventually(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "readyz 200");
        Assert.Equal("ok", (await http.GetStringAsync("/healthz")).Trim());
        var overview = await http.GetStringAsync("/");
        Assert.Contains("tile-nodes-count", overview);

        var (code, stdout, stderr) = await Kubectl.RunAsync(kubeconfig, "get", "nodes");
        Assert.True(code == 0, stderr);
        foreach (var node in new[] { "mini01", "mini02", "mini03" }) Assert.Contains(node, stdout);
    }

    private async Task<string> WaitForLineAsync(Regex pattern)
    {
        string? value = null;
        await Eventually(() =>
        {
            lock (_gate)
                foreach (var line in _output)
                    if (pattern.Match(line) is { Success: true } m) { value = m.Groups[1].Value; return Task.FromResult(true); }
            if (_process!.HasExited) throw new InvalidOperationException("dashboard exited: " + string.Join("\n", _output));
            return Task.FromResult(false);
        }, pattern.ToString());
        return value!;
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try { if (await condition()) return; }
            catch (HttpRequestException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("timed out waiting for " + what);
            await Task.Delay(50);
        }
    }

    [GeneratedRegex(@"^HomeOps dashboard: (http://\S+)")]
    private static partial Regex UrlLine();

    [GeneratedRegex(@"^Embedded simulator kubeconfig: (\S+)")]
    private static partial Regex KubeconfigLine();
}
