namespace HomeOps.Benchmarks.Live.Harness;

/// <summary>Where the repository, the dashboard build and the artifacts are, found from this program's location.</summary>
public static class RepoLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release, as this program was built; the dashboard is built alongside in the same one.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    public static string DashboardProject => Path.Combine(Root, "src", "HomeOps.Dashboard", "HomeOps.Dashboard.csproj");

    public static string DashboardBuildDll =>
        Path.Combine(Root, "src", "HomeOps.Dashboard", "bin", Configuration, "net10.0", "HomeOps.Dashboard.dll");

    /// <summary><c>$HOMEOPS_BENCH_ARTIFACTS</c>, or <c>&lt;repo&gt;/artifacts/bench</c>.</summary>
    public static string Artifacts
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("HOMEOPS_BENCH_ARTIFACTS") is { Length: > 0 } env
                ? env
                : Path.Combine(Root, "artifacts", "bench");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HomeOps.Dashboard.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("HomeOps.Dashboard.sln not found above " + AppContext.BaseDirectory);
    }
}
