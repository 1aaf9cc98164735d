// One publish for the whole assembly: it takes a minute and a half, and every test that needs it only reads it.
[assembly: AssemblyFixture(typeof(HomeOps.Deploy.Tests.Docker.PublishedImage))]

namespace HomeOps.Deploy.Tests.Docker;

/// <summary>
/// The Dockerfile's build stage run once per test run (restore from the project files alone, then
/// <c>dotnet publish src/HomeOps.Dashboard -c Release -o /app --no-restore</c> exactly as written), and its runtime
/// stage assembled: what a container built from this Dockerfile would hold, minus the optional tools.
/// </summary>
public sealed class PublishedImage : IAsyncLifetime
{
    public string Scratch { get; } = Directory.CreateTempSubdirectory("homeops-image-").FullName;
    public RuntimeImage Runtime { get; private set; } = null!;
    public IReadOnlyList<string> BuildLog { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        var dockerfile = Dockerfile.Load(RepoPaths.Dockerfile);
        var emulator = new DockerBuildEmulator(RepoPaths.Root, Scratch);
        await emulator.BuildStageAsync(dockerfile.Stage("build"), stepTimeout: TimeSpan.FromMinutes(8));
        Runtime = emulator.AssembleRuntime(dockerfile.Final, optionalStages: new HashSet<string> { "tools" });
        BuildLog = emulator.Log;
    }

    public ValueTask DisposeAsync()
    {
        try { Directory.Delete(Scratch, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return ValueTask.CompletedTask;
    }
}
