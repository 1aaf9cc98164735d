namespace HomeOps.Simulator.Tests.Identity.Support;

/// <summary>Finds files of the repository (walking up to HomeOps.Dashboard.sln), e.g. the Authentik fixtures.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HomeOps.Dashboard.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"HomeOps.Dashboard.sln not found above {AppContext.BaseDirectory}");
    });

    public static string Read(string relative) => File.ReadAllText(Path.Combine(Root.Value, relative.Replace('/', Path.DirectorySeparatorChar)));
}
