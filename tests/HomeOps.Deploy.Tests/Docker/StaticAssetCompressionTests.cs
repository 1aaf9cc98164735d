using System.Net;
using System.Text.RegularExpressions;

namespace HomeOps.Deploy.Tests.Docker;

/// <summary>
/// The stylesheet and script the page references are served precompressed by the published app (Production), as a
/// browser asks for them. Regression: MudBlazor's files were referenced by fingerprinted routes that have no br/gzip
/// variants in the static-assets manifest, so 613 KB of CSS and 69 KB of JS went out uncompressed
/// (docs/benchmarks.md, item 6).
/// </summary>
public sealed partial class StaticAssetCompressionTests(PublishedImage image)
{
    [GeneratedRegex("""<(?:link[^>]*href|script[^>]*src)="(?<url>[^"]+\.(?:css|js))"[^>]*>""")]
    private static partial Regex AssetReference();

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task Every_stylesheet_and_script_of_the_page_is_served_compressed(string encoding)
    {
        var data = Directory.CreateDirectory(Path.Combine(image.Scratch, "data-" + Guid.NewGuid().ToString("N"))).FullName;
        await using var app = await RunningApp.StartAsync(image.Runtime, data, "http://127.0.0.1:0", new Dictionary<string, string>());
        // No automatic decompression: the test reads the encoding the server chose.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = app.Urls.Single(),
            Timeout = TimeSpan.FromSeconds(30),
        };

        // An anonymous page rendered through App.razor: it references the same assets as every page.
        var page = await http.GetAsync("/signin-error?reason=test", Xunit.TestContext.Current.CancellationToken);
        var html = await page.Content.ReadAsStringAsync(Xunit.TestContext.Current.CancellationToken);
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{(int)page.StatusCode}\n{app.Output}");
        var urls = AssetReference().Matches(html).Select(m => m.Groups["url"].Value).Distinct().ToList();
        Assert.Contains(urls, u => u.Contains("MudBlazor", StringComparison.Ordinal) && u.EndsWith(".css", StringComparison.Ordinal));
        Assert.Contains(urls, u => u.Contains("MudBlazor", StringComparison.Ordinal) && u.EndsWith(".js", StringComparison.Ordinal));

        var problems = new List<string>();
        foreach (var url in urls)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url.StartsWith('/') ? url : "/" + url);
            request.Headers.AcceptEncoding.ParseAdd(encoding);
            using var response = await http.SendAsync(request, Xunit.TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(Xunit.TestContext.Current.CancellationToken);
            var served = string.Join(",", response.Content.Headers.ContentEncoding);
            if (response.StatusCode != HttpStatusCode.OK || served != encoding || body.Length == 0)
                problems.Add($"{url}: {(int)response.StatusCode}, Content-Encoding '{served}', {body.Length} bytes");
        }
        Assert.True(problems.Count == 0, $"assets not served with Content-Encoding {encoding}:\n" + string.Join("\n", problems));
    }
}
