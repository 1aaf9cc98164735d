using System.Diagnostics;
using System.Text.RegularExpressions;
using HomeOps.Simulator;
using HomeOps.Simulator.Identity;

namespace HomeOps.Testing;

/// <summary>
/// The built or published dashboard started as its own <c>dotnet</c> process on a dynamic loopback port, its console
/// captured. Shared (linked as source) by the end-to-end tests and the live benchmarks, which both need the real process.
/// </summary>
public sealed class DashboardAppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly Lock _gate = new();
    private readonly int _maxLines;
    private readonly TimeSpan _stopGrace;

    private DashboardAppProcess(Process process, int maxLines, TimeSpan stopGrace)
    {
        _process = process;
        _maxLines = maxLines;
        _stopGrace = stopGrace;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <param name="dll">HomeOps.Dashboard.dll; its folder is the working directory.</param>
    /// <param name="environment">Variables set after the <c>ASPNETCORE_ENVIRONMENT</c>, so they win.</param>
    /// <param name="maxLines">Console lines kept; later ones are dropped.</param>
    /// <param name="stopGrace">How long <see cref="DisposeAsync"/> waits after SIGTERM before killing the tree.</param>
    public static DashboardAppProcess Start(string dll, string aspnetEnvironment, IEnumerable<KeyValuePair<string, string>> environment,
        int maxLines = int.MaxValue, TimeSpan? stopGrace = null)
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
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = aspnetEnvironment;
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        return new DashboardAppProcess(Process.Start(psi)!, maxLines, stopGrace ?? TimeSpan.FromSeconds(20));
    }

    /// <summary>
    /// The README's quick start as typed: <c>dotnet run --project src/HomeOps.Dashboard</c> from the repository root, so the
    /// launch profile (its environment and URL) and the project folder as content root apply exactly as for a new user.
    /// <c>--no-build</c> and the configuration the tests were built in keep it from rebuilding; <paramref name="appArguments"/>
    /// go after <c>--</c> to the dashboard (e.g. <c>--urls</c>, to keep the profile's host name on a free port).
    /// </summary>
    public static DashboardAppProcess StartAsQuickStart(string repositoryRoot, string configuration, IEnumerable<string> appArguments,
        IEnumerable<KeyValuePair<string, string>> environment)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = repositoryRoot,
        };
        foreach (var arg in new[] { "run", "--no-build", "-c", configuration, "--project", Path.Combine("src", "HomeOps.Dashboard"), "--" })
            psi.ArgumentList.Add(arg);
        foreach (var arg in appArguments) psi.ArgumentList.Add(arg);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        // dotnet run forwards SIGTERM to the dashboard it started, so DisposeAsync stops both.
        return new DashboardAppProcess(Process.Start(psi)!, int.MaxValue, TimeSpan.FromSeconds(20));
    }

    /// <summary>
    /// The environment that points the dashboard at an in-process simulator and identity provider exactly as at a real
    /// cluster and Authentik (Kubeconfig mode, Oidc:Authority), over loopback http.
    /// </summary>
    public static Dictionary<string, string> PointedAt(SimulatorHost simulator, IdentityProviderHost identity, string dataDirectory) => new()
    {
        ["Cluster__Mode"] = "Kubeconfig",
        ["Cluster__Kubeconfig"] = simulator.KubeconfigPath,
        ["Authentik__BaseUrl"] = simulator.AuthentikBaseUri.ToString(),
        ["Authentik__Token"] = simulator.AuthentikToken,
        ["Oidc__Authority"] = identity.Issuer.ToString(),
        ["Oidc__ClientId"] = identity.ClientId,
        ["Oidc__ClientSecret"] = identity.ClientSecret,
        ["Oidc__RequireHttpsMetadata"] = "false",
        ["Auth__AllowInsecureCookies"] = "true",
        ["Operations__DataDirectory"] = dataDirectory,
    };

    public Process Process => _process;

    public string Output { get { lock (_gate) return string.Join("\n", _output); } }

    /// <summary>Waits for a console line matching <paramref name="pattern"/> and returns its first group.</summary>
    public async Task<string> WaitForLineAsync(Regex pattern, TimeSpan timeout)
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

    /// <summary>Stops the process the way Kubernetes does (SIGTERM), so it flushes its logs; kills it if it hangs.</summary>
    public async ValueTask DisposeAsync()
    {
        // Idempotent: a test may stop the process to read what it left on disk, then `await using` disposes again.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await term.WaitForExitAsync();
            using var cts = new CancellationTokenSource(_stopGrace);
            try { await _process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        _process.Dispose();
    }

    private int _disposed;

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_gate)
        {
            if (_output.Count < _maxLines) _output.Add(line);
        }
    }
}
