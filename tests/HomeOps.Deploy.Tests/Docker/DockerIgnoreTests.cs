namespace HomeOps.Deploy.Tests.Docker;

public sealed class DockerIgnoreTests
{
    private static readonly DockerIgnore Repo = DockerIgnore.Load(RepoPaths.DockerIgnore);

    [Theory]
    [InlineData("src/HomeOps.Dashboard/bin/Release/net10.0/HomeOps.Dashboard.dll")]
    [InlineData("src/HomeOps.Cluster/obj/project.assets.json")]
    [InlineData("tests/HomeOps.Deploy.Tests/HomeOps.Deploy.Tests.csproj")]
    [InlineData(".git/HEAD")]
    [InlineData("k8s/deployment.yaml")]
    [InlineData("artifacts/test/x.png")]
    public void Build_output_tests_and_repository_metadata_stay_out(string path) => Assert.True(Repo.IsExcluded(path), path);

    [Theory]
    [InlineData("global.json")]
    [InlineData("Directory.Build.props")]
    [InlineData("appsettings.json")]
    [InlineData("wwwroot-assets/app.css")]
    [InlineData("src/HomeOps.Dashboard/HomeOps.Dashboard.csproj")]
    [InlineData("src/HomeOps.Dashboard/Program.cs")]
    [InlineData("src/HomeOps.Operations/Workflows/Definitions/10-bootstrap.yaml")]
    public void What_the_publish_needs_is_in_the_context(string path) => Assert.False(Repo.IsExcluded(path), path);

    [Fact]
    public void Patterns_follow_dockers_rules()
    {
        var ignore = new DockerIgnore(["**/bin", "*.md", "!README.md", "docs/**", "/data", "a?c"]);
        Assert.True(ignore.IsExcluded("bin/x"));            // ** matches zero segments
        Assert.True(ignore.IsExcluded("x/y/bin/z"));
        Assert.True(ignore.IsExcluded("NOTES.md"));
        Assert.False(ignore.IsExcluded("README.md"));       // the last match wins
        Assert.False(ignore.IsExcluded("src/NOTES.md"));    // * does not cross a slash
        Assert.True(ignore.IsExcluded("docs/a/b.png"));
        Assert.True(ignore.IsExcluded("data/app.db"));
        Assert.True(ignore.IsExcluded("abc"));
        Assert.False(ignore.IsExcluded("abbc"));
        Assert.False(ignore.IsExcluded("binary/x"));
    }
}
