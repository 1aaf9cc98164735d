using System.Globalization;
using System.Text;
using System.Text.Json;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Reliability.Tests.Support;

namespace HomeOps.Reliability.Tests.BadInput;

/// <summary>
/// Property: for any JSON at all, every health rule returns a verdict and never throws. Seeded random trees built from
/// the rules' own field names (<see cref="RandomObjects"/>) for every kind in <see cref="Kinds.All"/>, then the
/// extremes: megabyte strings, nesting 10,000 levels deep, unicode and markup.
/// <c>HOMEOPS_DECODER_INPUTS</c> raises the count (default 12,000); <c>HOMEOPS_DECODER_SEED</c> picks the seed.
/// </summary>
public sealed class DecoderPropertyTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-06-21T12:00:00Z", CultureInfo.InvariantCulture);

    /// <summary>Deep enough for anything kube-apiserver accepts and the hostile cases here.</summary>
    private static readonly JsonDocumentOptions Deep = new() { MaxDepth = 64_000 };

    [Fact]
    public void Random_objects_with_the_rules_field_names_always_get_a_verdict_and_never_throw()
    {
        var inputs = int.TryParse(Environment.GetEnvironmentVariable("HOMEOPS_DECODER_INPUTS"), out var n) ? n : 12_000;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("HOMEOPS_DECODER_SEED"), out var s) ? s : 20260621;
        var random = new Random(seed);
        var generator = new RandomObjects(random);
        var byHealth = new Dictionary<string, int>(StringComparer.Ordinal);
        var byKind = new Dictionary<string, int>(StringComparer.Ordinal);
        var flux = new List<ResourceSnapshot>();
        var longestMessage = 0;

        for (var i = 0; i < inputs; i++)
        {
            var kind = Kinds.All[i % Kinds.All.Count];
            var json = generator.Object(kind)?.ToJsonString() ?? "null";
            var context = $"seed {seed} input {i} ({kind.Key}): {Shorten(json)}";
            using var doc = JsonDocument.Parse(json, Deep);
            var snapshot = DecodeAny(kind, doc.RootElement, generator, context);
            Check(snapshot, kind, context);
            if (kind.IsKubernetes)
            {
                // With the kind taken from the object itself, too (it may name another kind, or none).
                if (Guard(() => ResourceDecoder.TryDecode(doc.RootElement, Now), context) is { } own) Check(own, own.Kind, context);
                if (kind.Area == Area.Flux) flux.Add(snapshot);
            }
            var health = snapshot.Verdict.Health.ToString();
            byHealth[health] = byHealth.GetValueOrDefault(health) + 1;
            byKind[kind.Key] = byKind.GetValueOrDefault(kind.Key) + 1;
            longestMessage = Math.Max(longestMessage, snapshot.Verdict.Message.Length);
        }
        // The dependsOn tracer over every random Flux object at once: cycles, self-references, dangling names.
        Guard(() => FluxGraph.Build(flux).FailingRoots(), $"seed {seed} flux graph");

        Assert.True(inputs >= 10_000 || Environment.GetEnvironmentVariable("HOMEOPS_DECODER_INPUTS") is not null);
        Assert.Equal(Kinds.All.Count, byKind.Count);
        Assert.True(byHealth.Count >= 4, $"the generator reaches few verdicts: {string.Join(", ", byHealth)}");
        Artifacts.Write("decoder-properties.json", JsonSerializer.Serialize(new
        {
            seed, inputs, kinds = byKind, verdicts = byHealth, longestVerdictMessage = longestMessage,
        }, Artifacts.Json));
        TestContext.Current.TestOutputHelper?.WriteLine($"{inputs} inputs (seed {seed}): {string.Join(", ", byHealth.Select(p => $"{p.Key} {p.Value}"))}");
    }

    [Fact]
    public void Nesting_ten_thousand_levels_deep_is_refused_by_default_parsers_and_survived_by_every_rule()
    {
        const int depth = 10_000;
        var places = new Func<string, string>[]
        {
            deep => deep,                                                                                 // the document itself
            deep => $$$"""{"apiVersion":"v1","kind":"Node","metadata":{"name":"n","labels":{"a":{{{deep}}} }},"status":{}}""",
            deep => $$$"""{"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization","metadata":{"name":"k"},"status":{"conditions":[{"type":"Ready","status":"False","message":{{{deep}}} }]}}""",
            deep => $$$"""{"apiVersion":"helm.toolkit.fluxcd.io/v2","kind":"HelmRelease","metadata":{"name":"h"},"spec":{"values":{{{deep}}} },"status":{"conditions":{{{deep}}} }}""",
            deep => $$$"""{"pk":"p","name":"o","type":"proxy","providers":{{{deep}}},"last_seen":{{{deep}}} }""",
        };
        foreach (var shape in new[] { "[", "{\"a\":" })
        {
            var open = new StringBuilder();
            for (var i = 0; i < depth; i++) open.Append(shape);
            var close = shape == "[" ? new string(']', depth) : new string('}', depth);
            var deep = open + "0" + close;
            foreach (var place in places)
            {
                var json = place(deep);
                // What a default parser does: refuse (64 levels). The informer reads as deep as the API allows instead.
                Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(json));
                using var doc = JsonDocument.Parse(json, Deep);
                foreach (var kind in Kinds.All)
                    Check(DecodeAny(kind, doc.RootElement, null, $"depth {depth} {shape} {kind.Key}"), kind, $"depth {depth} {kind.Key}");
            }
        }
    }

    [Fact]
    public void A_megabyte_of_text_in_every_string_field_gets_a_verdict_and_a_bounded_raw_status()
    {
        var megabyte = new StringBuilder().Append("<script>alert(1)</script>").Append('é', 1024 * 1024).Append("🚀").ToString();
        var text = JsonSerializer.Serialize(megabyte);
        var documents = new[]
        {
            $$$"""{"apiVersion":"v1","kind":"Node","metadata":{"name":{{{text}}},"labels":{"k":{{{text}}} }},"status":{"conditions":[{"type":"Ready","status":"False","reason":{{{text}}},"message":{{{text}}} }],"nodeInfo":{"kubeletVersion":{{{text}}} } } }""",
            $$$"""{"apiVersion":"longhorn.io/v1beta2","kind":"Volume","metadata":{"name":"v"},"status":{"state":{{{text}}},"robustness":{{{text}}},"conditions":[{"type":{{{text}}},"status":"True","message":{{{text}}} }]}}""",
            $$$"""{"apiVersion":"cilium.io/v2alpha1","kind":"CiliumBGPNodeConfig","metadata":{"name":"n"},"status":{"bgpInstances":[{"name":{{{text}}},"peers":[{"name":{{{text}}},"peeringState":{{{text}}},"peerAddress":{{{text}}} }]}]}}""",
            $$$"""{"pk":{{{text}}},"name":{{{text}}},"type":{{{text}}},"managed":{{{text}}},"identifier":{{{text}}},"expires":{{{text}}},"description":{{{text}}} }""",
        };
        foreach (var json in documents)
        {
            using var doc = JsonDocument.Parse(json);
            foreach (var kind in Kinds.All)
            {
                var snapshot = DecodeAny(kind, doc.RootElement, null, $"1 MB {kind.Key}");
                Check(snapshot, kind, $"1 MB {kind.Key}");
            }
        }
    }

    [Fact]
    public void Unicode_and_markup_in_names_labels_and_messages_arrive_verbatim_for_the_renderer_to_escape()
    {
        foreach (var hostile in RandomObjects.Strings.Where(s => s.Length > 0 && !s.Contains('\ud800')))
        {
            var text = JsonSerializer.Serialize(hostile);
            using var doc = JsonDocument.Parse($$$"""
                {"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization",
                 "metadata":{"name":{{{text}}},"namespace":"flux-system","uid":"u","labels":{"app":{{{text}}} }},
                 "status":{"conditions":[{"type":"Ready","status":"False","reason":"ReconciliationFailed","message":{{{text}}} }]}}
                """);
            var snapshot = ResourceDecoder.Decode(Kinds.Kustomization, doc.RootElement, Now);
            Assert.Equal(hostile, snapshot.Meta.Name);
            Assert.Equal(hostile, snapshot.Meta.Labels["app"]);
            Assert.Equal(HealthStatus.Failed, snapshot.Verdict.Health);
            Assert.Contains(hostile.Trim(), snapshot.Verdict.Message);
        }
    }

    private static ResourceSnapshot DecodeAny(KindInfo kind, JsonElement element, RandomObjects? generator, string context)
    {
        if (kind.Key == Kinds.AuthentikOutpost.Key)
        {
            var healthJson = generator?.HealthArray()?.ToJsonString() ?? element.GetRawText();
            using var health = JsonDocument.Parse(healthJson, Deep);
            var healthElement = health.RootElement.Clone();
            return Guard(() => AuthentikDecoder.DecodeOutpost(element, healthElement, Now), context)!;
        }
        if (kind.Key == Kinds.AuthentikToken.Key) return Guard(() => AuthentikDecoder.DecodeToken(element, Now), context)!;
        if (kind.Key == Kinds.BgpSession.Key)
        {
            // The random object as the label set of one series of a Prometheus instant-query answer.
            using var answer = JsonDocument.Parse(
                $$$"""{"status":"success","data":{"resultType":"vector","result":[{"metric":{{{element.GetRawText()}}},"value":[1796640000,"0"]}]}}""", Deep);
            return Guard(() => BgpSessionMetrics.Parse(answer.RootElement).SingleOrDefault(), context)
                   ?? BgpSessionMetrics.Snapshot(new BgpSessionDetails("", "", "", "", false, Now));
        }
        return Guard(() => ResourceDecoder.Decode(kind, element, Now), context)!;
    }

    private static T Guard<T>(Func<T> decode, string context)
    {
        try { return decode(); }
        catch (Exception e) { throw new Xunit.Sdk.XunitException($"threw {e.GetType().Name}: {e.Message}\nfor {context}"); }
    }

    private static void Check(ResourceSnapshot snapshot, KindInfo kind, string context)
    {
        Assert.NotNull(snapshot);
        Assert.Equal(kind.Key, snapshot.Kind.Key);
        Assert.NotNull(snapshot.Verdict);
        Assert.True(Enum.IsDefined(snapshot.Verdict.Health), context);
        Assert.False(string.IsNullOrEmpty(snapshot.Verdict.Reason), $"no reason for {context}");
        Assert.NotNull(snapshot.Verdict.Message);
        Assert.NotNull(snapshot.Meta);
        Assert.NotNull(snapshot.Details);
        Assert.False(snapshot.Conditions.IsDefault, context);
        Assert.True(snapshot.RawStatus.Length <= ObjectParts.RawStatusLimit + 100, $"raw status of {snapshot.RawStatus.Length} characters for {context}");
    }

    private static string Shorten(string json) => json.Length <= 300 ? json : json[..300] + "…";
}
