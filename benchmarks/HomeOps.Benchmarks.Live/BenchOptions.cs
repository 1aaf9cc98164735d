namespace HomeOps.Benchmarks.Live;

/// <summary>Command line: <c>[all|latency|api-load|wire|memory|first-paint|scale] [--smoke] [--long] [--no-publish]</c>.</summary>
public sealed record BenchOptions(IReadOnlyList<string> Items, bool Smoke, bool Long, bool Publish)
{
    public static readonly string[] AllItems = ["latency", "first-paint", "api-load", "wire", "memory", "scale"];

    public static BenchOptions Parse(string[] args)
    {
        var flags = args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var names = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        if (names.Count == 0 || names.Contains("all")) names = [.. AllItems];
        var unknown = names.Except(AllItems).Concat(flags.Except(["--smoke", "--long", "--no-publish"])).ToList();
        if (unknown.Count > 0) throw new ArgumentException("unknown argument(s): " + string.Join(", ", unknown));
        var smoke = flags.Contains("--smoke");
        // Order matters only for rig reuse: items on the same cluster shape run back to back.
        var ordered = AllItems.Where(names.Contains).ToList();
        return new BenchOptions(ordered, smoke, flags.Contains("--long"), Publish: !smoke && !flags.Contains("--no-publish"));
    }
}
