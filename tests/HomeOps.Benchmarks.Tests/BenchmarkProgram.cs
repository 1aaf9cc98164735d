using System.Diagnostics;

namespace HomeOps.Benchmarks.Tests;

/// <summary>A benchmark program run as its own process from its build output, with artifacts in a fresh folder.</summary>
public sealed record BenchmarkRun(int ExitCode, string Output, string Artifacts, TimeSpan Duration);

public static class BenchmarkProgram
{
    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    private static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HomeOps.Dashboard.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("HomeOps.Dashboard.sln not found");
        }
    }

    public static string Dll(string project) =>
        Path.Combine(Root, "benchmarks", project, "bin", Configuration, "net10.0", project + ".dll");

    public static async Task<BenchmarkRun> RunAsync(string project, TimeSpan timeout, params string[] args)
    {
        var dll = Dll(project);
        Assert.True(File.Exists(dll), $"{dll} is not built");
        var artifacts = Directory.CreateTempSubdirectory("homeops-bench-smoke-").FullName;
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["HOMEOPS_BENCH_ARTIFACTS"] = artifacts;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{project} did not finish within {timeout}:\n{await stdout}\n{await stderr}");
        }
        return new BenchmarkRun(process.ExitCode, await stdout + "\n" + await stderr, artifacts, clock.Elapsed);
    }
}
