using System.Net;
using System.Net.Http.Headers;
using HomeOps.Cluster.Tests.Metrics;

namespace HomeOps.Deploy.Tests.Docker;

/// <summary>
/// `dotnet publish` with the Dockerfile's arguments succeeds, and the published app — started as the image starts it,
/// in Production — serves its static assets, its probes, and /metrics under its own authorization.
/// </summary>
public sealed class PublishedAppTests(PublishedImage image)
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);

    private static HttpClient Client(Uri baseAddress) =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    private string NewDataDirectory() => Directory.CreateDirectory(Path.Combine(image.Scratch, "data-" + Guid.NewGuid().ToString("N"))).FullName;

    [Fact]
    public async Task The_publish_output_holds_the_app_its_static_web_assets_and_base_configuration()
    {
        var dir = image.Runtime.WorkingDirectory;
        Assert.True(File.Exists(Path.Combine(dir, "HomeOps.Dashboard.dll")), string.Join("\n", image.BuildLog));
        Assert.True(File.Exists(Path.Combine(dir, "appsettings.json")), "the repository's base configuration is published");
        Assert.True(File.Exists(Path.Combine(dir, "HomeOps.Dashboard.staticwebassets.endpoints.json")), "static asset endpoints manifest");
        Assert.True(Directory.Exists(Path.Combine(dir, "wwwroot")), "wwwroot");
        // The restore ran with only the project files present, then the sources came in (the layer order of the image).
        Assert.Contains(image.BuildLog, l => l.Contains("dotnet restore", StringComparison.Ordinal) && l.EndsWith("exit 0", StringComparison.Ordinal));
        Assert.Contains(image.BuildLog, l => l.Contains("dotnet publish", StringComparison.Ordinal) && l.EndsWith("exit 0", StringComparison.Ordinal));
        // Nothing excluded by .dockerignore got in (no test project, no stale build output from the working tree).
        Assert.False(Directory.Exists(Path.Combine(image.Scratch, "build", "src", "tests")));
    }

    [Fact]
    public async Task The_published_app_starts_in_production_and_serves_static_assets_probes_and_metrics()
    {
        var metricsPort = RunningApp.FreePort();
        var token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        await using var app = await RunningApp.StartAsync(image.Runtime, NewDataDirectory(),
            $"http://127.0.0.1:0;http://127.0.0.1:{metricsPort}",
            new Dictionary<string, string> { ["Metrics__Port"] = metricsPort.ToString(), ["Metrics__BearerToken"] = token });
        var appUrl = app.Urls.Single(u => u.Port != metricsPort);
        var metricsUrl = app.Urls.Single(u => u.Port == metricsPort);
        using var http = Client(appUrl);

        // Static assets from the published manifest (in Production they 500 from a plain build output: toolchain G1),
        // anonymous: the sign-in, access-denied and signed-out pages need them before anyone is signed in.
        var problems = new List<string>();
        foreach (var (path, type) in new[]
                 {
                     ("/_content/MudBlazor/MudBlazor.min.css", "text/css"),
                     ("/app.css", "text/css"),
                 })
        {
            var response = await http.GetAsync(path, TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
                problems.Add($"{path}: {(int)response.StatusCode} {response.Headers.Location}");
            else if (!(response.Content.Headers.ContentType?.MediaType ?? "").Contains(type) || body.Length == 0)
                problems.Add($"{path}: {response.Content.Headers.ContentType}, {body.Length} bytes");
        }
        Assert.True(problems.Count == 0, "static assets not served anonymously:\n" + string.Join("\n", problems));
        var healthz = await http.GetAsync("/healthz", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        Assert.Contains("Production", app.Output);

        // /metrics: not on the app port (the ingress's port), 401 without or with a wrong token, 200 with it.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/metrics", TestContext.Current.CancellationToken)).StatusCode);
        using var metrics = Client(metricsUrl);
        var anonymous = await metrics.GetAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token + "0") } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await metrics.SendAsync(wrong, TestContext.Current.CancellationToken)).StatusCode);

        // Once the informers have synced, the page carries the simulated cluster.
        await app.WaitAsync(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "readyz", Startup);
        // Synced (readyz) comes before the watch is established (live): scrape until the Node source reports live.
        HttpResponseMessage scrape = null!;
        string exposition = "";
        await app.WaitAsync(async () =>
        {
            using var authorized = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
            scrape = await metrics.SendAsync(authorized, TestContext.Current.CancellationToken);
            exposition = await scrape.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            return scrape.StatusCode == HttpStatusCode.OK &&
                   ExpositionParser.Parse(exposition).Value("homeops_source_live", ("group", ""), ("kind", "Node")) == 1;
        }, "Node source live in /metrics", Startup);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", scrape.Content.Headers.ContentType!.ToString());
        var families = ExpositionParser.Parse(exposition);
        var nodes = families.Family("homeops_node_ready").Samples.Select(s => s.Label("node")).Order().ToList();
        Assert.Equal(new[] { "mini01", "mini02", "mini03" }, nodes);
        Assert.Equal(1, families.Value("homeops_source_live", ("group", ""), ("kind", "Node")));
        Assert.NotEmpty(families.Family("homeops_flux_ready").Samples);
        // The token never reaches the logs.
        Assert.DoesNotContain(token, app.Output);
    }

    /// <summary>
    /// Regression: the image's restore runs with only the project files, so the SDK (which decides from .razor content
    /// whether the app needs Microsoft.AspNetCore.App.Internal.Assets) left that package out, and the publish that
    /// follows with --no-restore shipped no blazor.web.js. The Dockerfile now restores with RequiresAspNetWebAssets=true.
    /// </summary>
    [Fact]
    public async Task The_emulated_image_serves_the_blazor_framework_script()
    {
        await using var app = await RunningApp.StartAsync(image.Runtime, NewDataDirectory(), "http://127.0.0.1:0",
            new Dictionary<string, string>());
        using var http = Client(app.Urls.Single());
        foreach (var path in new[] { "/_framework/blazor.web.js", "/_content/MudBlazor/MudBlazor.min.js" })
        {
            var response = await http.GetAsync(path, TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {response.Headers.Location}\n{app.Output}");
            Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
            Assert.True(body.Length > 1000, $"{path}: {body.Length} characters");
        }
        // The page references the script by its fingerprinted or plain name; either is served.
        Assert.True(File.Exists(Path.Combine(image.Runtime.WorkingDirectory, "wwwroot", "_framework", "blazor.web.js")) ||
                    File.ReadAllText(Path.Combine(image.Runtime.WorkingDirectory, "HomeOps.Dashboard.staticwebassets.endpoints.json"))
                        .Contains("_framework/blazor.web.js", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_token_or_port_the_metrics_are_open_despite_the_apps_default_deny_sign_in()
    {
        await using var app = await RunningApp.StartAsync(image.Runtime, NewDataDirectory(), "http://127.0.0.1:0",
            new Dictionary<string, string> { ["Metrics__BearerToken"] = "", ["Metrics__Port"] = "0" });
        using var http = Client(app.Urls.Single());
        var scrape = await http.GetAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.True(scrape.StatusCode == HttpStatusCode.OK, $"{(int)scrape.StatusCode}\n{app.Output}");
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", scrape.Content.Headers.ContentType!.ToString());
        ExpositionParser.Parse(await scrape.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        // …while the app itself still requires sign-in.
        var overview = await http.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.NotEqual(HttpStatusCode.OK, overview.StatusCode);
    }
}
