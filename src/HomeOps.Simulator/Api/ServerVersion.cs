using System.Text.Json.Nodes;

namespace HomeOps.Simulator.Api;

/// <summary><c>GET /version</c>: the home-ops cluster runs Kubernetes v1.31.1 (cluster brief §1.4).</summary>
internal static class ServerVersion
{
    public const string GitVersion = "v1.31.1";

    public static JsonObject Document() => new()
    {
        ["major"] = "1",
        ["minor"] = "31",
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = "948afe5ca072329a73c8e79ed5938717a5cb3d21",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2024-09-11T21:22:08Z",
        ["goVersion"] = "go1.22.6",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };
}
