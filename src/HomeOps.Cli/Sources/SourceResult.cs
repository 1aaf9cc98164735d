using HomeOps.Cluster.Model;

namespace HomeOps.Cli.Sources;

/// <summary>What a source read: decoded objects, and whether some kind could not be read (forbidden, failed).</summary>
public sealed record SourceResult(IReadOnlyList<ResourceSnapshot> Snapshots, bool Incomplete);
