using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace HomeOps.Deploy.Tests.Docker;

/// <summary>Static checks of the Dockerfile: stages, user, no secrets, the restore layer, the tool build arguments.</summary>
public sealed partial class DockerfileTests
{
    private static readonly Dockerfile Recipe = Dockerfile.Load(RepoPaths.Dockerfile);

    [Fact]
    public void Multi_stage_from_the_sdk_to_the_aspnet_runtime()
    {
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", Recipe.Stage("build").BaseImageTag);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", Recipe.Final.BaseImageTag);
        Assert.Equal("runtime", Recipe.Final.Name);
        // The runtime stage gets the published output and nothing else from the build stage.
        var fromBuild = Recipe.Final.All("COPY").Where(c => c.Flags.GetValueOrDefault("from") == "build").ToList();
        Assert.Equal("/app", Assert.Single(fromBuild).Values[0]);
        Assert.Equal(new[] { "dotnet", "HomeOps.Dashboard.dll" }, Recipe.Final.All("ENTRYPOINT").Single().ExecForm);
    }

    [Fact]
    public void The_publish_step_is_the_documented_command()
    {
        var publish = Recipe.Stage("build").All("RUN").Single(r => r.Arguments.StartsWith("dotnet publish", StringComparison.Ordinal));
        // Keep in sync with docs/deploy.md and the README: this exact command is what CI verifies (PublishedAppTests).
        Assert.Equal("dotnet publish src/HomeOps.Dashboard -c Release -o /app --no-restore", publish.Arguments);
    }

    [Fact]
    public void The_runtime_runs_as_a_numeric_non_root_user()
    {
        var user = Recipe.Final.All("USER").Last().Arguments;
        var uid = user.Split(':')[0];
        Assert.True(long.TryParse(uid, out var id), $"USER {user}: numeric, so Kubernetes can verify runAsNonRoot");
        Assert.NotEqual(0, id);
        // The USER comes after every COPY/RUN, so nothing later runs as root.
        var last = Recipe.Final.Instructions.ToList();
        Assert.True(last.FindLastIndex(i => i.Keyword == "USER") > last.FindLastIndex(i => i.Keyword is "RUN" or "COPY"));
        // And the manifests run the pod as that same user.
        Assert.Contains($"runAsUser: {uid}", File.ReadAllText(Path.Combine(RepoPaths.K8s, "deployment.yaml")));
    }

    [Fact]
    public void No_build_secrets_no_secret_named_arguments_or_environment()
    {
        var all = Recipe.GlobalArgs.Concat(Recipe.Stages.SelectMany(s => s.Instructions)).ToList();
        foreach (var instruction in all.Where(i => i.Keyword is "ARG" or "ENV"))
        {
            foreach (var name in instruction.Values.Select(v => v.Split('=')[0]))
                Assert.False(Naming.LooksSecret(name), $"{instruction}: {name} looks like a secret");
        }
        Assert.DoesNotContain(all, i => i.Arguments.Contains("type=secret", StringComparison.Ordinal));
        Assert.DoesNotContain(all, i => i.Arguments.Contains("type=ssh", StringComparison.Ordinal));
    }

    [Fact]
    public void The_app_listens_on_8080_and_exposes_it()
    {
        Assert.Contains(Recipe.Final.All("ENV").SelectMany(e => e.Values), v => v == "ASPNETCORE_HTTP_PORTS=8080");
        Assert.Equal("8080", Recipe.Final.All("EXPOSE").Single().Arguments);
    }

    [Fact]
    public void The_restore_layer_copies_every_project_the_dashboard_references_before_the_sources()
    {
        var build = Recipe.Stage("build").Instructions.ToList();
        var restore = build.FindIndex(i => i.Keyword == "RUN" && i.Arguments.StartsWith("dotnet restore", StringComparison.Ordinal));
        var copyAll = build.FindIndex(i => i.Keyword == "COPY" && i.Values.SequenceEqual([".", "."]));
        Assert.True(restore >= 0 && copyAll > restore, "restore runs before the sources are copied");
        var copiedFirst = build.Take(restore).Where(i => i.Keyword == "COPY").SelectMany(i => i.Values.SkipLast(1)).ToHashSet();
        foreach (var project in ProjectClosure("src/HomeOps.Dashboard/HomeOps.Dashboard.csproj"))
            Assert.Contains(project, copiedFirst);
        Assert.Contains("Directory.Build.props", copiedFirst);
        Assert.Contains("global.json", copiedFirst);
    }

    [Fact]
    public void Tool_build_arguments_are_pinned_checksummed_and_documented()
    {
        var tools = Recipe.Stage("tools");
        var args = tools.All("ARG").Select(a => a.Values[0].Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        var deployDoc = File.ReadAllText(Path.Combine(RepoPaths.Docs, "deploy.md"));
        foreach (var tool in new[] { "TALOSCTL", "KUBECTL", "FLUX", "TASK" })
        {
            Assert.Matches(VersionPin(), args[$"{tool}_VERSION"]);
            Assert.True(args.ContainsKey($"{tool}_SHA256"), $"{tool}_SHA256 build argument");
            Assert.Contains($"{tool}_VERSION", deployDoc);
            Assert.Contains($"{tool}_SHA256", deployDoc);
        }
        // The cluster's versions (cluster brief §1.4): talosctl matches Talos, kubectl the API server's minor, flux the controllers.
        Assert.Equal("v1.10.5", args["TALOSCTL_VERSION"]);
        Assert.StartsWith("v1.31.", args["KUBECTL_VERSION"]);
        Assert.Equal("2.8.1", args["FLUX_VERSION"]);
        var script = Assert.Single(Assert.Single(tools.All("RUN")).Heredocs);
        Assert.Contains("sha256sum -c", script);
        foreach (var binary in new[] { "talosctl", "kubectl", "flux", "task" }) Assert.Contains($"/tools/{binary}", script);
        Assert.Contains(Recipe.Final.All("COPY"), c => c.Flags.GetValueOrDefault("from") == "tools" && c.Values[^1] == "/usr/local/bin/");
    }

    /// <summary>The project and every project it references, transitively, as repository-relative paths.</summary>
    private static IEnumerable<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([project]);
        while (queue.TryDequeue(out var p))
        {
            if (!seen.Add(p)) continue;
            var dir = Path.GetDirectoryName(Path.Combine(RepoPaths.Root, p))!;
            foreach (var reference in XDocument.Load(Path.Combine(RepoPaths.Root, p)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(dir, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                queue.Enqueue(Path.GetRelativePath(RepoPaths.Root, full).Replace('\\', '/'));
            }
        }
        return seen;
    }

    [GeneratedRegex(@"^v?\d+\.\d+\.\d+$")]
    private static partial Regex VersionPin();
}
