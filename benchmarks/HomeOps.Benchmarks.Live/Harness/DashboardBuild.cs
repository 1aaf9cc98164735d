using System.Diagnostics;

namespace HomeOps.Benchmarks.Live.Harness;

/// <summary>Which dashboard binary the benchmark runs, and in which environment.</summary>
public sealed record DashboardBinary(string Dll, bool Production, string Description)
{
    /// <summary>
    /// Full runs publish the dashboard in Release (precompressed static assets, Production): what a user downloads.
    /// The smoke runs the build output next to this program in Development, to stay within its time budget.
    /// </summary>
    public static async Task<DashboardBinary> ResolveAsync(bool publish, TextWriter log)
    {
        if (!publish)
        {
            if (!File.Exists(RepoLayout.DashboardBuildDll)) throw new FileNotFoundException("dashboard not built", RepoLayout.DashboardBuildDll);
            return new(RepoLayout.DashboardBuildDll, false, $"build output ({RepoLayout.Configuration}, Development)");
        }
        var output = Path.Combine(RepoLayout.Artifacts, "dashboard-publish");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "publish", RepoLayout.DashboardProject, "-c", "Release", "-o", output, "--nologo", "-v", "q" }) psi.ArgumentList.Add(a);
        var watch = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            if (p.ExitCode == 0) break;
            // Other builds in the same tree can hold obj/ files for a moment; retry before giving up.
            if (attempt == 3) throw new InvalidOperationException($"dotnet publish failed:\n{await stdout}\n{await stderr}");
            log.WriteLine($"publish attempt {attempt} failed; retrying in 20 s");
            await Task.Delay(TimeSpan.FromSeconds(20));
        }
        log.WriteLine($"published the dashboard (Release) in {watch.Elapsed.TotalSeconds:F1} s to {output}");
        return new(Path.Combine(output, "HomeOps.Dashboard.dll"), true, "dotnet publish -c Release, Production");
    }
}
