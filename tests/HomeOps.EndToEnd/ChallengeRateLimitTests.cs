using System.Net;

namespace HomeOps.EndToEnd;

/// <summary>
/// Every anonymous request to a page is a challenge, i.e. a redirect to Authentik after a server-side reachability
/// check: challenges count against the per-address sign-in limit, whichever path they come from, so a flood of
/// anonymous requests cannot be turned into outbound calls or fill the sign-in pipeline.
/// </summary>
public sealed class ChallengeRateLimitTests : IAsyncLifetime
{
    private const int Limit = 3;
    private SimulatedDashboard _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await SimulatedDashboard.StartAsync(new Dictionary<string, string?>
    {
        ["RateLimits:SignIn:PermitLimit"] = Limit.ToString(),
        ["RateLimits:SignIn:WindowSeconds"] = "2",
    });

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task Anonymous_page_requests_beyond_the_sign_in_limit_get_429_instead_of_a_challenge()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = Caller.NewClient();
        var outcomes = new List<string>();
        HttpResponseMessage? refused = null;
        string[] paths = ["/flux", "/nodes", "/", "/longhorn"];
        await Poll.UntilAsync(async () =>
        {
            outcomes.Clear();
            refused = null;
            foreach (var path in paths)
            {
                var r = await http.GetAsync(_dashboard.BaseUrl + path, ct);
                outcomes.Add(Outcome.Of(r, _dashboard));
                if (r.StatusCode == HttpStatusCode.TooManyRequests) { refused = r; break; }
            }
            return refused is not null && outcomes.Count == Limit + 1 && outcomes.Take(Limit).All(o => o == Outcome.SignIn);
        }, TimeSpan.FromSeconds(20), () => string.Join(",", outcomes));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused!.StatusCode);
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single()), 1, 2);

        // Probes are not limited; after the window, challenges are answered again.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(_dashboard.BaseUrl + "/healthz", ct)).StatusCode);
        await Poll.UntilAsync(async () => Outcome.Of(await http.GetAsync(_dashboard.BaseUrl + "/flux", ct), _dashboard) == Outcome.SignIn,
            TimeSpan.FromSeconds(10));
    }
}
