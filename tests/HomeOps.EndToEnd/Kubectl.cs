using System.Diagnostics;

namespace HomeOps.EndToEnd;

/// <summary>Runs the real kubectl binary against the simulator's kubeconfig, with an argument vector (no shell).</summary>
public static class Kubectl
{
    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(string kubeconfig, params string[] args)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("HOMEOPS_KUBECTL") ?? "kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--kubeconfig");
        psi.ArgumentList.Add(kubeconfig);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout, await stderr);
    }
}
