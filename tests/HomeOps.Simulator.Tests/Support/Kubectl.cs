using System.Diagnostics;

namespace HomeOps.Simulator.Tests.Support;

/// <summary>Runs the real kubectl binary against a simulator's kubeconfig, with its own discovery cache and HOME.</summary>
internal sealed class Kubectl : IDisposable
{
    private readonly string _kubeconfig;
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("homeops-kubectl-");

    public Kubectl(string kubeconfig) => _kubeconfig = kubeconfig;

    public static string? Binary =>
        new[] { "/usr/bin/kubectl", "/usr/local/bin/kubectl" }.FirstOrDefault(File.Exists);

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
    }

    public async Task<Result> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Binary ?? throw new InvalidOperationException("kubectl is not installed"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(_kubeconfig);
        start.ArgumentList.Add("--cache-dir");
        start.ArgumentList.Add(Path.Combine(_home.FullName, "cache"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["HOME"] = _home.FullName;
        start.Environment.Remove("KUBECONFIG");

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', arguments)} did not finish");
        }
        return new Result(process.ExitCode, await output, await error);
    }

    public void Dispose() => _home.Delete(recursive: true);
}
