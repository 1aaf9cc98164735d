using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace HomeOps.Deploy.Tests.Docker;

/// <summary>
/// The published app started the way the image starts it (its ENTRYPOINT, working directory and ENV) as a real
/// process, in Production, on loopback with dynamic ports; the URLs come from the "HomeOps dashboard: …" lines.
/// </summary>
public sealed partial class RunningApp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly Lock _gate = new();

    private RunningApp(Process process) => _process = process;

    public IReadOnlyList<Uri> Urls { get; private set; } = [];

    public string Output { get { lock (_gate) return string.Join('\n', _output); } }

    /// <param name="urls">The --urls value.</param>
    /// <param name="settings">Extra environment (configuration) on top of the image's ENV.</param>
    public static async Task<RunningApp> StartAsync(RuntimeImage image, string dataDirectory, string urls, IReadOnlyDictionary<string, string> settings)
    {
        var psi = new ProcessStartInfo(image.Entrypoint[0])
        {
            WorkingDirectory = image.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in image.Entrypoint.Skip(1)) psi.ArgumentList.Add(arg);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add(urls);
        // Nothing from the test host's environment decides how the app runs.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_", StringComparison.Ordinal) || k.Contains("__", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        foreach (var (k, v) in image.Environment) psi.Environment[k] = v;
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["Cluster__Mode"] = "Simulator";
        psi.Environment["Simulator__Scenarios__Enabled"] = "false";
        psi.Environment["Simulator__DataDirectory"] = Path.Combine(dataDirectory, "simulator");
        psi.Environment["Operations__DataDirectory"] = Path.Combine(dataDirectory, "operations");
        psi.Environment["Auth__DataProtectionKeysPath"] = Path.Combine(dataDirectory, "keys");
        foreach (var (k, v) in settings) psi.Environment[k] = v;

        var app = new RunningApp(new Process { StartInfo = psi });
        app._process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (app._gate) app._output.Add(e.Data); };
        app._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (app._gate) app._output.Add(e.Data); };
        app._process.Start();
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        var expected = urls.Split(';').Length;
        await app.WaitAsync(() => app.UrlLines().Count >= expected, "the 'HomeOps dashboard: <url>' lines", TimeSpan.FromSeconds(90));
        app.Urls = app.UrlLines();
        return app;
    }

    private List<Uri> UrlLines()
    {
        lock (_gate)
            return [.. _output.Select(l => UrlLine().Match(l)).Where(m => m.Success).Select(m => new Uri(m.Groups[1].Value))];
    }

    public Task WaitAsync(Func<bool> condition, string what, TimeSpan timeout) =>
        WaitAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>Polls every 50 ms until the condition holds; fails early with the app's output if it exits.</summary>
    public async Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await Safe(condition))
        {
            if (_process.HasExited) throw new InvalidOperationException($"the app exited ({_process.ExitCode}) before {what}:\n{Output}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}:\n{Output}");
            await Task.Delay(50);
        }
    }

    private static async Task<bool> Safe(Func<Task<bool>> condition)
    {
        try { return await condition(); }
        catch (HttpRequestException) { return false; }
        catch (TaskCanceledException) { return false; }
    }

    /// <summary>A port that was free a moment ago (for a setting that must name the port in advance).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            }
        }
        catch (InvalidOperationException) { }
        catch (OperationCanceledException) { }
        _process.Dispose();
    }

    [GeneratedRegex(@"^HomeOps dashboard: (http://\S+)")]
    private static partial Regex UrlLine();
}
