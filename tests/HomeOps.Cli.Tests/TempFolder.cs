namespace HomeOps.Cli.Tests;

/// <summary>A private temporary folder per test (tests run in parallel), removed on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "homeops-cli-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        return file;
    }

    public string CopyFixture(string relative, string? as_ = null)
    {
        var target = System.IO.Path.Combine(Path, as_ ?? System.IO.Path.GetFileName(relative));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        File.Copy(RepoPaths.Fixture(relative), target);
        return target;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

internal static class RepoPaths
{
    public static readonly string Root = Find();

    public static string Fixtures => System.IO.Path.Combine(Root, "tests", "fixtures");

    public static string Fixture(string relative) => System.IO.Path.Combine(Fixtures, relative.Replace('/', System.IO.Path.DirectorySeparatorChar));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "HomeOps.Dashboard.sln"))) return dir.FullName;
        throw new InvalidOperationException($"HomeOps.Dashboard.sln not found above {AppContext.BaseDirectory}");
    }
}
