namespace HomeOps.Deploy.Tests.Docker;

public sealed class DockerfileParserTests
{
    [Fact]
    public void Continuations_heredocs_flags_and_stages_are_read()
    {
        var file = Dockerfile.Parse("""
            # syntax=docker/dockerfile:1
            ARG X=1
            FROM base:1 AS one
            RUN a \
                # a comment inside
                b
            RUN <<'EOF'
            echo "$HOME"
            EOF
            FROM base:2
            COPY --from=one /out ./
            ENTRYPOINT ["dotnet", "a.dll"]
            """);
        Assert.Equal("X=1", Assert.Single(file.GlobalArgs).Arguments);
        Assert.Equal(2, file.Stages.Count);
        var one = file.Stage("one");
        Assert.Equal("a b", one.Instructions[0].Arguments);
        Assert.Equal("echo \"$HOME\"", Assert.Single(one.Instructions[1].Heredocs));
        Assert.Equal("one", file.Final.Instructions[0].Flags["from"]);
        Assert.Equal(new[] { "/out", "./" }, file.Final.Instructions[0].Values);
        Assert.Equal(new[] { "dotnet", "a.dll" }, file.Final.Instructions[1].ExecForm);
        Assert.Null(file.Final.Name);
    }
}
