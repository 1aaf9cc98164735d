using System.Text.Json;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Tests.Health;

/// <summary>Runs <see cref="FixtureVerdictTable"/>: every fixture through the real decoders.</summary>
public sealed class FixtureVerdictTests
{
    private static readonly string[] ObjectFolders = ["flux", "longhorn", "cilium", "talos-node", "authentik"];

    public static TheoryData<string> ObjectIds() => Data(FixtureVerdictTable.KubernetesObjects.Select(r => r.Id));
    public static TheoryData<string> OutpostIds() => Data(FixtureVerdictTable.Outposts.Select(r => r.Id));
    public static TheoryData<string> TokenIds() => Data(FixtureVerdictTable.Tokens.Select(r => r.Id));

    private static TheoryData<string> Data(IEnumerable<string> ids)
    {
        var data = new TheoryData<string>();
        foreach (var id in ids) data.Add(id);
        return data;
    }

    [Theory]
    [MemberData(nameof(ObjectIds))]
    public void KubernetesObjectHasTheExpectedVerdict(string id)
    {
        var row = FixtureVerdictTable.KubernetesObjects.Single(r => r.Id == id);
        SkipWhenHeldBack(row.File, row.HeldBack);
        var obj = FindObject(row.File, row.Item);

        // Objects that name apiVersion+kind must be recognised by TryDecode as the expected kind.
        var found = ResourceDecoder.KindOf(obj);
        if (obj.TryGetProperty("kind", out _)) Assert.Equal(row.Kind.Key, found?.Key);

        var snapshot = found is null ? ResourceDecoder.Decode(row.Kind, obj, FixtureVerdictTable.Now) : ResourceDecoder.TryDecode(obj, FixtureVerdictTable.Now)!;
        Assert.True(snapshot.Verdict.Health == row.Health && snapshot.Verdict.Reason == row.Reason,
            $"{id}: expected {row.Health}/{row.Reason}, got {snapshot.Verdict.Health}/{snapshot.Verdict.Reason}: {snapshot.Verdict.Message}");
        Assert.IsNotType<NoDetails>(snapshot.Details);
        Assert.False(string.IsNullOrWhiteSpace(snapshot.Verdict.Message), "every verdict explains itself");
    }

    [Theory]
    [MemberData(nameof(OutpostIds))]
    public void OutpostHasTheExpectedVerdict(string id)
    {
        var row = FixtureVerdictTable.Outposts.Single(r => r.Id == id);
        SkipWhenHeldBack(row.HealthFile, row.HeldBack);
        var outpost = Fixtures.Load(row.OutpostsFile).GetProperty("results").EnumerateArray()
            .Single(o => o.GetProperty("name").GetString() == row.OutpostName);
        var snapshot = AuthentikDecoder.DecodeOutpost(outpost, Fixtures.Load(row.HealthFile), FixtureVerdictTable.Now);
        Assert.True(snapshot.Verdict.Health == row.Health && snapshot.Verdict.Reason == row.Reason,
            $"{id}: expected {row.Health}/{row.Reason}, got {snapshot.Verdict.Health}/{snapshot.Verdict.Reason}: {snapshot.Verdict.Message}");
        Assert.Equal(Kinds.AuthentikOutpost, snapshot.Kind);
        Assert.Equal(outpost.GetProperty("pk").GetString(), snapshot.Meta.Uid);
    }

    [Theory]
    [MemberData(nameof(TokenIds))]
    public void TokenHasTheExpectedVerdict(string id)
    {
        var row = FixtureVerdictTable.Tokens.Single(r => r.Id == id);
        var token = Fixtures.Load(row.File).GetProperty("results").EnumerateArray()
            .Single(t => t.GetProperty("identifier").GetString() == row.Identifier);
        var snapshot = AuthentikDecoder.DecodeToken(token, FixtureVerdictTable.Now);
        Assert.True(snapshot.Verdict.Health == row.Health && snapshot.Verdict.Reason == row.Reason,
            $"{id}: expected {row.Health}/{row.Reason}, got {snapshot.Verdict.Health}/{snapshot.Verdict.Reason}: {snapshot.Verdict.Message}");
        Assert.Equal(row.Identifier, snapshot.Meta.Uid);
    }

    /// <summary>New fixtures must be classified: a file in an object folder, or any file holding a kind we read, must be in the table.</summary>
    [Fact]
    public void EveryFixtureFileIsClassified()
    {
        var listed = FixtureVerdictTable.ListedFiles.ToHashSet(StringComparer.Ordinal);
        var rows = FixtureVerdictTable.KubernetesObjects.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var file in Fixtures.AllJsonFiles())
        {
            var folder = file.Split('/')[0];
            if (ObjectFolders.Contains(folder) && !listed.Contains(file))
            {
                missing.Add($"{file}: not in FixtureVerdictTable");
                continue;
            }
            JsonElement doc;
            try { doc = Fixtures.Load(file); }
            catch (JsonException e) { missing.Add($"{file}: not valid JSON ({e.Message})"); continue; }
            var objects = Fixtures.Objects(doc).ToList();
            foreach (var obj in objects)
            {
                if (ResourceDecoder.KindOf(obj) is null) continue;
                var id = objects.Count > 1 || doc.TryGetProperty("items", out _) ? $"{file}#{Fixtures.NameOf(obj)}" : file;
                if (!rows.Contains(id)) missing.Add($"{id}: a {ResourceDecoder.KindOf(obj)} with no expected verdict");
            }
        }
        Assert.True(missing.Count == 0, "Classify these fixtures in FixtureVerdictTable:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void NotClassifiedFilesHoldNoKindWeRead()
    {
        foreach (var (file, why) in FixtureVerdictTable.NotClassified)
        {
            if (!Fixtures.Exists(file)) continue; // held back
            foreach (var obj in Fixtures.Objects(Fixtures.Load(file)))
                Assert.True(ResourceDecoder.TryDecode(obj, FixtureVerdictTable.Now) is null, $"{file} ({why}) decodes as a kind we read");
        }
    }

    [Fact]
    public void EveryTableRowPointsAtAFixture()
    {
        foreach (var file in FixtureVerdictTable.ListedFiles)
            Assert.True(Fixtures.Exists(file) || FixtureVerdictTable.HeldBackFiles.Contains(file), $"{file} is in the table but not in tests/fixtures");
    }

    [Fact]
    public void TheFixtureSetCoversEveryVerdictTheRulesUse()
    {
        var seen = FixtureVerdictTable.KubernetesObjects.Where(r => !r.HeldBack).Select(r => r.Health)
            .Concat(FixtureVerdictTable.Outposts.Select(r => r.Health)).ToHashSet();
        Assert.Superset(new HashSet<HealthStatus> { HealthStatus.Healthy, HealthStatus.Progressing, HealthStatus.Degraded, HealthStatus.Failed, HealthStatus.Suspended, HealthStatus.Unknown }, seen);
    }

    private static JsonElement FindObject(string file, string? item)
    {
        var doc = Fixtures.Load(file);
        return item is null ? doc : Fixtures.Objects(doc).Single(o => Fixtures.NameOf(o) == item);
    }

    private static void SkipWhenHeldBack(string file, bool heldBack)
    {
        if (heldBack && !Fixtures.Exists(file))
            Assert.Skip($"{file} is kept back for acceptance checks (SOURCES.md) and is not in tests/fixtures");
    }
}
