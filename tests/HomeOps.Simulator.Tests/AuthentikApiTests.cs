using System.Text.Json.Nodes;
using HomeOps.Simulator.Authentik;
using HomeOps.Simulator.Tests.Support;

namespace HomeOps.Simulator.Tests;

/// <summary>The Authentik-shaped REST API: envelopes, health arrays, tokens, and token authentication.</summary>
public sealed class AuthentikApiTests : IAsyncLifetime
{
    private readonly MutableClock _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 3, TimeSpan.Zero));
    private SimulatorHost _host = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await SimulatorTestHost.StartAsync(o => o.TimeProvider = _clock);
        _http = _host.AuthentikClient();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Outposts_come_in_the_pagination_envelope()
    {
        var page = await _http.GetObjectAsync("/api/v3/outposts/instances/");

        var pagination = page["pagination"]!.AsObject();
        Assert.Equal(0, pagination["next"]!.GetValue<int>());
        Assert.Equal(0, pagination["previous"]!.GetValue<int>());
        Assert.Equal(3, pagination["count"]!.GetValue<int>());
        Assert.Equal(1, pagination["current"]!.GetValue<int>());
        Assert.Equal(1, pagination["total_pages"]!.GetValue<int>());
        Assert.Equal(1, pagination["start_index"]!.GetValue<int>());
        Assert.Equal(3, pagination["end_index"]!.GetValue<int>());

        var results = page["results"]!.AsArray();
        var embedded = results.Single(r => r.Str("pk") == AuthentikState.EmbeddedOutpostId)!;
        var external = results.Single(r => r.Str("pk") == AuthentikState.ExternalOutpostId)!;
        var radius = results.Single(r => r.Str("type") == "radius")!;
        Assert.Equal("goauthentik.io/outposts/embedded", embedded.Str("managed"));
        Assert.Empty(embedded["providers"]!.AsArray());
        Assert.Equal("k8s-external-proxy-outpost", external.Str("name"));
        Assert.Equal([2, 3, 4, 5, 6, 7, 8], external["providers"]!.AsArray().Select(p => p!.GetValue<int>()));
        Assert.Equal(7, external["providers_obj"]!.AsArray().Count);
        Assert.Null(external["managed"]);
        Assert.Single(radius["providers"]!.AsArray());
    }

    [Fact]
    public async Task Pages_follow_page_and_page_size()
    {
        var first = await _http.GetObjectAsync("/api/v3/outposts/instances/?page=1&page_size=2");
        var second = await _http.GetObjectAsync("/api/v3/outposts/instances/?page=2&page_size=2");
        var (beyond, body) = await _http.GetJsonAsync("/api/v3/outposts/instances/?page=3&page_size=2");

        Assert.Equal(2, first["results"]!.AsArray().Count);
        Assert.Equal(2, first["pagination"]!["next"]!.GetValue<int>());
        Assert.Equal(2, first["pagination"]!["total_pages"]!.GetValue<int>());
        Assert.Single(second["results"]!.AsArray());
        Assert.Equal(0, second["pagination"]!["next"]!.GetValue<int>());
        Assert.Equal(1, second["pagination"]!["previous"]!.GetValue<int>());
        Assert.Equal(3, second["pagination"]!["start_index"]!.GetValue<int>());
        Assert.Equal(3, second["pagination"]!["end_index"]!.GetValue<int>());
        Assert.Equal(404, beyond);
        Assert.Equal("Invalid page.", body.Str("detail"));
    }

    [Fact]
    public async Task Health_is_a_bare_array_whose_last_seen_follows_the_clock()
    {
        var url = $"/api/v3/outposts/instances/{AuthentikState.ExternalOutpostId}/health/";
        var (_, before) = await _http.GetJsonAsync(url);
        _clock.Advance(TimeSpan.FromMinutes(3));
        var (_, after) = await _http.GetJsonAsync(url);

        var instances = Assert.IsType<JsonArray>(before);
        Assert.Equal(2, instances.Count);
        var entry = instances[0]!;
        Assert.Equal(AuthentikState.Version, entry.Str("version"));
        Assert.Equal(AuthentikState.Version, entry.Str("version_should"));
        Assert.False(entry["version_outdated"]!.GetValue<bool>());
        Assert.Null(entry["fips_enabled"]);
        var seenBefore = DateTimeOffset.Parse(entry.Str("last_seen")!);
        var seenAfter = DateTimeOffset.Parse(after![0].Str("last_seen")!);
        Assert.InRange(_clock.GetUtcNow() - TimeSpan.FromMinutes(3) - seenBefore, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.InRange(_clock.GetUtcNow() - seenAfter, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.True(seenAfter > seenBefore);
    }

    [Fact]
    public async Task A_silent_outpost_reports_an_empty_array()
    {
        _host.Authentik.SetSilent(AuthentikState.ExternalOutpostId, true);
        var (status, body) = await _http.GetJsonAsync($"/api/v3/outposts/instances/{AuthentikState.ExternalOutpostId}/health/");
        var (unknown, _) = await _http.GetJsonAsync($"/api/v3/outposts/instances/{Guid.NewGuid()}/health/");

        Assert.Equal(200, status);
        Assert.Empty(Assert.IsType<JsonArray>(body));
        Assert.Equal(404, unknown);
    }

    [Fact]
    public async Task Tokens_list_the_expiring_api_tokens()
    {
        var page = await _http.GetObjectAsync("/api/v3/core/tokens/");
        var dashboard = page["results"]!.AsArray().Single(t => t.Str("identifier") == AuthentikState.DashboardTokenIdentifier)!;
        var filtered = await _http.GetObjectAsync($"/api/v3/core/tokens/?identifier={AuthentikState.AdminTokenIdentifier}");

        Assert.Equal("api", dashboard.Str("intent"));
        Assert.True(dashboard["expiring"]!.GetValue<bool>());
        var expires = DateTimeOffset.Parse(dashboard.Str("expires")!);
        Assert.InRange(expires - _clock.GetUtcNow(), TimeSpan.FromDays(19), TimeSpan.FromDays(21));
        Assert.Equal("akadmin", dashboard["user_obj"].Str("username"));
        Assert.Contains(page["results"]!.AsArray(), t => t.Str("managed") == $"goauthentik.io/outpost/{AuthentikState.ExternalOutpostId}");
        Assert.Equal(1, filtered["pagination"]!["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Users_me_answers_the_admin_and_refuses_a_bad_or_missing_token()
    {
        var me = await _http.GetObjectAsync("/api/v3/core/users/me/");
        using var bad = new HttpClient { BaseAddress = _host.AuthentikBaseUri };
        bad.DefaultRequestHeaders.Authorization = new("Bearer", "wrong");
        using var none = new HttpClient { BaseAddress = _host.AuthentikBaseUri };

        var (badStatus, badBody) = await bad.GetJsonAsync("/api/v3/core/users/me/");
        var (noneStatus, noneBody) = await none.GetJsonAsync("/api/v3/outposts/instances/");

        Assert.Equal("akadmin", me.Str("user", "username"));
        Assert.True(me["user"]!["is_superuser"]!.GetValue<bool>());
        Assert.Equal(401, badStatus);
        Assert.Equal("Token invalid/expired", badBody.Str("detail"));
        Assert.Equal(401, noneStatus);
        Assert.Equal("Authentication credentials were not provided.", noneBody.Str("detail"));
    }

    [Fact]
    public async Task An_expired_admin_token_is_refused()
    {
        _host.Authentik.SetTokenExpiry(AuthentikState.AdminTokenIdentifier, _clock.GetUtcNow() - TimeSpan.FromMinutes(1));
        var (status, body) = await _http.GetJsonAsync("/api/v3/core/users/me/");

        Assert.Equal(401, status);
        Assert.Equal("Token invalid/expired", body.Str("detail"));
    }

    [Fact]
    public async Task The_kubernetes_token_does_not_open_authentik_and_vice_versa()
    {
        using var kube = _host.KubernetesClient();
        var (authentikWithKubeToken, _) = await kube.GetJsonAsync("/api/v3/core/users/me/");
        var (kubeWithAuthentikToken, _) = await _http.GetJsonAsync("/api/v1/nodes");

        Assert.Equal(401, authentikWithKubeToken);
        Assert.Equal(401, kubeWithAuthentikToken);
    }
}
