namespace HomeOps.EndToEnd;

/// <summary>Finds the repository and the dashboard's build output from the test assembly's location.</summary>
public static class RepoPaths
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HomeOps.Dashboard.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("HomeOps.Dashboard.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Debug or Release, as the tests were built.</summary>
    public static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    public static string DashboardDll =>
        Path.Combine(Root, "src", "HomeOps.Dashboard", "bin", Configuration, "net10.0", "HomeOps.Dashboard.dll");
}
