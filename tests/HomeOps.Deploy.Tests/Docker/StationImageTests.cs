using System.Text.RegularExpressions;

namespace HomeOps.Deploy.Tests.Docker;

/// <summary>
/// Issue 13 e, statically (no Docker here): the <c>station</c> target installs mise and every tool home-ops'
/// <c>.mise.toml</c> pins that the workflows' tasks use, each download checksum-verified, at .mise.toml's version or
/// at a deviation that is deliberate — set as mise's per-tool override and explained in docs/operations.md.
/// </summary>
public sealed partial class StationImageTests
{
    private static readonly Dockerfile Recipe = Dockerfile.Load(RepoPaths.Dockerfile);
    private static readonly string HomeOpsRepo = Path.Combine(RepoPaths.Root, "src", "HomeOps.Simulator", "HomeOpsRepo");

    /// <summary>Tools of .mise.toml the workflows' tasks never call: left out of the image and disabled for mise.</summary>
    private static readonly string[] NotInstalled = ["node", "python", "cloudflared", "yamllint", "pre-commit", "shellcheck", "prettier"];

    [GeneratedRegex(@"^(?<name>[a-z0-9-]+)\s*=\s*""(?<version>[^""]+)""", RegexOptions.Multiline)]
    private static partial Regex TomlPin();

    [GeneratedRegex(@"^\d+\.\d+\.\d+$")]
    private static partial Regex ExactVersion();

    private static Dictionary<string, string> MiseTools()
    {
        var text = File.ReadAllText(Path.Combine(HomeOpsRepo, ".mise.toml"));
        var tools = text[(text.IndexOf("[tools]", StringComparison.Ordinal) + 7)..];
        tools = tools[..tools.IndexOf("\n[", StringComparison.Ordinal)];
        return TomlPin().Matches(tools).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["version"].Value, StringComparer.Ordinal);
    }

    private static Stage Station => Recipe.Stage("station");

    private static Dictionary<string, string> Args() =>
        Station.All("ARG").Select(a => a.Values[0].Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);

    private static Dictionary<string, string> Env() =>
        Station.All("ENV").SelectMany(e => e.Values).Where(v => v.Contains('=')).Select(v => v.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    private static string Script() => Assert.Single(Assert.Single(Station.All("RUN")).Heredocs);

    private static string ArgName(string tool) => tool.ToUpperInvariant().Replace('-', '_');

    [Fact]
    public void The_station_target_is_optional_and_the_default_image_stays_the_runtime()
    {
        Assert.Equal("runtime", Recipe.Final.Name);
        Assert.True(Recipe.Stages.ToList().FindIndex(s => s.Name == "station") < Recipe.Stages.Count - 1);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", Station.BaseImageTag);
        Assert.Equal(["dotnet", "HomeOps.Dashboard.dll"], Station.All("ENTRYPOINT").Single().ExecForm);
        var user = Station.All("USER").Last().Arguments;
        Assert.Equal("1654:1654", user);
        var list = Station.Instructions.ToList();
        Assert.True(list.FindLastIndex(i => i.Keyword == "USER") > list.FindLastIndex(i => i.Keyword is "RUN" or "COPY"), "nothing runs as root after the install");
    }

    [Fact]
    public void Mise_itself_is_pinned_and_checksum_verified()
    {
        var args = Args();
        Assert.Matches(@"^v\d{4}\.\d+\.\d+$", args["MISE_VERSION"]);
        Assert.True(args.ContainsKey("MISE_SHA256"));
        var script = Script();
        Assert.Contains("verify \"$f\" \"${MISE_SHA256}\" \"https://github.com/jdx/mise/releases/download/${MISE_VERSION}/SHASUMS256.txt\"", script);
        Assert.Contains("install -m 0755 \"$f\" /usr/local/bin/mise", script);
        Assert.Contains("sha256sum -c", script);
    }

    [Fact]
    public void Every_tool_the_tasks_use_is_installed_pinned_checksummed_and_registered_with_mise()
    {
        var pins = MiseTools();
        var args = Args();
        var script = Script();
        var disabled = Env()["MISE_DISABLE_TOOLS"].Split(',');
        Assert.Equal(NotInstalled.Order(StringComparer.Ordinal), disabled.Order(StringComparer.Ordinal));
        var installed = pins.Keys.Except(NotInstalled).ToList();
        Assert.Equal(["cilium-cli", "flux2", "helm", "jq", "kubectl", "kustomize", "talhelper", "talosctl", "task", "yq"], installed.Order(StringComparer.Ordinal));
        foreach (var tool in installed)
        {
            var a = ArgName(tool);
            Assert.True(args.TryGetValue($"{a}_VERSION", out var version), $"ARG {a}_VERSION");
            Assert.Matches(ExactVersion(), version);
            Assert.True(args.ContainsKey($"{a}_SHA256"), $"ARG {a}_SHA256");
            Assert.Contains($"${{{a}_SHA256", script);             // the download is verified (pin or published list)
            Assert.Contains($"\"${{{a}_VERSION}}\"", script);       // and installed at that version (tool <name> <version> …)
            Assert.Contains($" {tool}:", script);                   // and linked into mise under .mise.toml's name
        }
        Assert.Contains("mise link --force", script);
    }

    [Fact]
    public void Versions_follow_mise_toml_and_every_deviation_is_deliberate_overridden_for_mise_and_documented()
    {
        var pins = MiseTools();
        var args = Args();
        var env = Env();
        var docs = File.ReadAllText(Path.Combine(RepoPaths.Docs, "operations.md"));
        var deviations = new List<string>();
        foreach (var (tool, pinned) in pins.Where(p => !NotInstalled.Contains(p.Key)))
        {
            var a = ArgName(tool);
            var version = args[$"{a}_VERSION"];
            if (version == pinned) continue;
            deviations.Add(tool);
            Assert.Equal($"${{{a}_VERSION}}", env[$"MISE_{a}_VERSION"]);   // mise exec uses the image's version, not .mise.toml's
            Assert.Matches($@"`{tool}`[^\n]*{Regex.Escape(version)}[^\n]*{Regex.Escape(pinned)}", docs);  // one line of docs says both and why
        }
        Assert.Equal(["kubectl", "talhelper", "talosctl"], deviations.Order(StringComparer.Ordinal));

        // talosctl deliberately matches the nodes' Talos (the Taskfile's TALOS_VERSION), not the workstation pin.
        var talos = Regex.Match(File.ReadAllText(Path.Combine(HomeOpsRepo, "Taskfile.yml")), @"TALOS_VERSION:\s*v(?<v>[\d.]+)").Groups["v"].Value;
        Assert.Equal(talos, args["TALOSCTL_VERSION"]);
        var kubernetes = Regex.Match(File.ReadAllText(Path.Combine(HomeOpsRepo, "Taskfile.yml")), @"KUBERNETES_VERSION:\s*v(?<v>[\d.]+)").Groups["v"].Value;
        Assert.Equal(kubernetes, args["KUBECTL_VERSION"]);
    }
}
