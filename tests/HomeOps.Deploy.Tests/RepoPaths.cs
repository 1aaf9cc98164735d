namespace HomeOps.Deploy.Tests;

/// <summary>Finds the repository from the test assembly's location.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Dockerfile => Path.Combine(Root, "Dockerfile");
    public static string DockerIgnore => Path.Combine(Root, ".dockerignore");
    public static string K8s => Path.Combine(Root, "k8s");
    public static string Docs => Path.Combine(Root, "docs");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HomeOps.Dashboard.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("HomeOps.Dashboard.sln not found above " + AppContext.BaseDirectory);
    }
}
