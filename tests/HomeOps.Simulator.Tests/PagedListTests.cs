using System.Text;
using System.Text.Json.Nodes;
using HomeOps.Simulator.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace HomeOps.Simulator.Tests;

/// <summary>
/// Paged lists (<c>limit</c> + <c>continue</c>) and history compaction over raw HTTP, as kube-apiserver over etcd
/// answers them: every page of one list is consistent with the first page's resourceVersion, a continue token whose
/// snapshot was compacted answers 410 Expired, and a watch from a compacted resourceVersion gets an ERROR 410 event.
/// </summary>
public sealed class PagedListTests : IAsyncLifetime
{
    private const string AllKustomizations = "/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations";
    private const string FluxSystem = "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations";

    // apiserver/pkg/storage/etcd3 (handleCompactedErrorForPaging): the words of a real kube-apiserver.
    private const string InconsistentContinue =
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without " +
        "the continue parameter, or use the continue token in this response to retrieve the remainder of the results. " +
        "Continuing with the provided token results in an inconsistent list - objects that were created, modified, or " +
        "deleted between the time the first chunk was returned and now may show up in the list.";

    private SimulatorHost _host = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await SimulatorTestHost.StartAsync();
        _http = _host.KubernetesClient();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<List<JsonObject>> AllPagesAsync(string path, int limit, Action<JsonObject>? onPage = null)
    {
        var pages = new List<JsonObject>();
        string? token = null;
        do
        {
            var url = $"{path}?limit={limit}" + (token is null ? "" : $"&continue={Uri.EscapeDataString(token)}");
            var page = await _http.GetObjectAsync(url);
            pages.Add(page);
            onPage?.Invoke(page);
            token = page.Str("metadata", "continue");
        }
        while (!string.IsNullOrEmpty(token));
        return pages;
    }

    [Fact]
    public async Task Limit_5_of_32_kustomizations_returns_5_a_continue_token_and_the_remaining_count()
    {
        var page = await _http.GetObjectAsync($"{AllKustomizations}?limit=5");

        Assert.Equal(5, page["items"]!.AsArray().Count);
        Assert.False(string.IsNullOrEmpty(page.Str("metadata", "continue")));
        Assert.Equal(27, page["metadata"]!["remainingItemCount"]!.GetValue<long>());
        Assert.Equal(_host.Cluster.ResourceVersion.ToString(), page.Str("metadata", "resourceVersion"));
    }

    [Fact]
    public async Task Following_the_continue_tokens_yields_every_object_once_in_the_unpaged_order()
    {
        var unpaged = (await _http.GetObjectAsync(AllKustomizations)).Names().ToList();

        var pages = await AllPagesAsync(AllKustomizations, 5);

        Assert.Equal(32, unpaged.Count);
        Assert.Equal(7, pages.Count); // 6 × 5 + 2
        Assert.Equal(unpaged, pages.SelectMany(p => p.Names()));
        Assert.Single(pages.Select(p => p.Str("metadata", "resourceVersion")).Distinct());
        Assert.Null(pages[^1]["metadata"]!["remainingItemCount"]);
        Assert.Null(pages[^1].Str("metadata", "continue"));
    }

    [Fact]
    public async Task Later_pages_show_the_objects_as_they_were_when_the_first_page_was_served()
    {
        var first = await _http.GetObjectAsync($"{FluxSystem}?limit=2");
        var snapshot = first.Str("metadata", "resourceVersion");
        var before = (await _http.GetObjectAsync(FluxSystem))["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        var laterNames = before.Skip(2).Select(i => i.Str("metadata", "name")!).ToList();
        // Between the pages: one object changes, one is deleted, one is created (sorting last).
        await _http.PatchAsync($"{FluxSystem}/{laterNames[0]}", HttpJson.LabelPatch("paged", "changed"));
        Assert.Equal(200, (await _http.SendAsync(HttpMethod.Delete, $"{FluxSystem}/{laterNames[1]}")).Status);
        var created = before[2].DeepClone().AsObject();
        created["metadata"] = new JsonObject { ["name"] = "zzz-created-between-pages", ["namespace"] = "flux-system" };
        Assert.Equal(201, (await _http.SendAsync(HttpMethod.Post, FluxSystem, created.ToJsonString())).Status);

        var rest = new List<JsonObject>();
        var token = first.Str("metadata", "continue");
        while (!string.IsNullOrEmpty(token))
        {
            var page = await _http.GetObjectAsync($"{FluxSystem}?limit=2&continue={Uri.EscapeDataString(token)}");
            Assert.Equal(snapshot, page.Str("metadata", "resourceVersion"));
            rest.AddRange(page["items"]!.AsArray().Select(i => i!.AsObject()));
            token = page.Str("metadata", "continue");
        }

        Assert.Equal(before.Skip(2).Select(o => o.ToJsonString()), rest.Select(o => o.ToJsonString()));
    }

    [Fact]
    public async Task A_continue_token_whose_snapshot_was_compacted_is_410_Expired_with_a_token_for_the_rest()
    {
        var first = await _http.GetObjectAsync($"{AllKustomizations}?limit=5");
        _host.Faults.ExpireHistory();

        var (status, body) = await _http.GetJsonAsync($"{AllKustomizations}?limit=5&continue={Uri.EscapeDataString(first.Str("metadata", "continue")!)}");

        Assert.Equal(410, status);
        Assert.Equal("Status", body.Str("kind"));
        Assert.Equal("v1", body.Str("apiVersion"));
        Assert.Equal("Failure", body.Str("status"));
        Assert.Equal("Expired", body.Str("reason"));
        Assert.Equal(410, body!["code"]!.GetValue<int>());
        Assert.Equal(InconsistentContinue, body.Str("message"));
        // The inconsistent remainder: the objects after the first page, at the latest resourceVersion.
        var resume = body.Str("metadata", "continue");
        Assert.False(string.IsNullOrEmpty(resume));
        var fresh = await AllPagesAsync(AllKustomizations, 100); // a new list (no continue) is always possible
        Assert.Equal(32, fresh.SelectMany(p => p.Names()).Count());
        var remainder = await _http.GetObjectAsync($"{AllKustomizations}?limit=100&continue={Uri.EscapeDataString(resume!)}");
        Assert.Equal((await _http.GetObjectAsync(AllKustomizations)).Names().Skip(5), remainder.Names());
        Assert.Equal(_host.Cluster.ResourceVersion.ToString(), remainder.Str("metadata", "resourceVersion"));
    }

    [Theory]
    [InlineData("not-base64!")]
    [InlineData("{}")]
    [InlineData("""{"v":"meta.k8s.io/v1","rv":1,"start":"../../etc"}""")] // a start key that climbs out of the collection
    [InlineData("""{"v":"meta.k8s.io/v9","rv":1,"start":"flux-system/apps"}""")]
    public async Task A_malformed_continue_token_is_400_BadRequest(string raw)
    {
        var token = raw.StartsWith('{') ? Convert.ToBase64String(Encoding.UTF8.GetBytes(raw)).TrimEnd('=').Replace('+', '-').Replace('/', '_') : raw;
        var (status, body) = await _http.GetJsonAsync($"{AllKustomizations}?limit=5&continue={Uri.EscapeDataString(token)}");

        Assert.Equal(400, status);
        Assert.Equal("BadRequest", body.Str("reason"));
        Assert.StartsWith("invalid continue token", body.Str("message"));
    }

    [Fact]
    public async Task Continue_and_resourceVersion_together_are_400_as_on_the_api_server()
    {
        var first = await _http.GetObjectAsync($"{AllKustomizations}?limit=5");

        var (status, body) = await _http.GetJsonAsync(
            $"{AllKustomizations}?limit=5&resourceVersion={first.Str("metadata", "resourceVersion")}&continue={Uri.EscapeDataString(first.Str("metadata", "continue")!)}");

        Assert.Equal(400, status);
        Assert.Equal("specifying resource version is not allowed when using continue", body.Str("message"));
    }

    [Fact]
    public async Task Kubectl_tables_are_paged_too()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{AllKustomizations}?limit=5");
        request.Headers.Accept.ParseAdd("application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        var table = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal("Table", table.Str("kind"));
        Assert.Equal(5, table["rows"]!.AsArray().Count);
        Assert.False(string.IsNullOrEmpty(table.Str("metadata", "continue")));
    }

    [Fact]
    public async Task History_is_compacted_on_etcds_schedule_and_a_watch_from_before_it_gets_410()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        await using var host = await SimulatorTestHost.StartAsync(o =>
        {
            o.TimeProvider = time;
            o.CompactionInterval = TimeSpan.FromMinutes(5);
        });
        using var http = host.KubernetesClient();
        var old = (await http.GetObjectAsync("/api/v1/nodes")).Str("metadata", "resourceVersion");
        await http.PatchAsync("/api/v1/nodes/mini01", HttpJson.LabelPatch("n", "a"));

        // The first compaction only notes the revision; the next one compacts everything before it (as kube-apiserver's compactor).
        time.Advance(TimeSpan.FromMinutes(5));
        await using (var stillThere = await WatchStream.OpenAsync(http, $"/api/v1/nodes?watch=true&resourceVersion={old}"))
        {
            Assert.Equal("MODIFIED", (await stillThere.NextAsync())!.Type);
        }
        time.Advance(TimeSpan.FromMinutes(5));

        await using var watch = await WatchStream.OpenAsync(http, $"/api/v1/nodes?watch=true&resourceVersion={old}");
        var error = await watch.NextAsync();
        var (listStatus, _) = await http.GetJsonAsync($"/api/v1/nodes?resourceVersion={old}");

        Assert.Equal(200, (int)watch.Response.StatusCode);
        Assert.Equal("ERROR", error!.Type);
        Assert.Equal(410, error.Object["code"]!.GetValue<int>());
        Assert.Equal("Expired", error.Object.Str("reason"));
        Assert.StartsWith($"too old resource version: {old} (", error.Object.Str("message"));
        Assert.Null(await watch.NextAsync());
        Assert.Equal(410, listStatus);
    }

    [Fact]
    public async Task Kubectl_with_chunk_size_5_pages_through_all_32_kustomizations()
    {
        if (Kubectl.Binary is null) Assert.Skip("kubectl is not installed on this machine");
        using var kubectl = new Kubectl(_host.KubeconfigPath);

        var result = await kubectl.RunAsync("get", "kustomizations", "-A", "--chunk-size=5", "-v=6");

        Assert.True(result.ExitCode == 0, result.ToString());
        var requests = result.Error.Split('\n').Where(l => l.Contains("/kustomizations?", StringComparison.Ordinal) && l.Contains("limit=5", StringComparison.Ordinal)).ToList();
        Assert.True(requests.Count == 7, $"expected 7 paged requests, got {requests.Count}:\n{string.Join('\n', requests)}");
        Assert.Equal(6, requests.Count(r => r.Contains("continue=", StringComparison.Ordinal)));
        var rows = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("NAMESPACE", StringComparison.Ordinal)).ToList();
        Assert.Equal(32, rows.Count);
        Assert.Equal(32, rows.Select(r => r.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).Distinct().Count());
    }
}
