using System.Diagnostics;
using System.Text;

namespace HomeOps.Cli.Tests;

/// <summary>The real built CLI (<c>homeops.dll</c>, copied next to this test assembly) run as a child process.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    public static string Dll
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "homeops.dll");
            if (!File.Exists(path)) throw new FileNotFoundException($"homeops.dll is not next to the test assembly in {AppContext.BaseDirectory}");
            return path;
        }
    }

    public static async Task<Result> RunAsync(IEnumerable<string> args, IDictionary<string, string?>? environment = null, TimeSpan? timeout = null,
        string? stdin = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        // Never pick up the developer's real cluster by accident.
        psi.Environment["KUBECONFIG"] = null;
        psi.Environment["HOME"] = Path.GetTempPath();
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>()) psi.Environment[k] = v;

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("dotnet did not start");
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"homeops {string.Join(' ', args)} did not exit in time");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public static Task<Result> RunAsync(params string[] args) => RunAsync(args, null);
}
