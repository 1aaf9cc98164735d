using System.Net.Http.Headers;
using System.Text.Json;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cli.Output;
using HomeOps.Cluster.Sources;

namespace HomeOps.Cli.Sources;

/// <summary>
/// Reads Authentik's outposts (with their health) and tokens once, as the dashboard's poller does, through the same client
/// and decoder. The token comes from a file (a mounted secret), never from the command line, and is never printed.
/// </summary>
public static class AuthentikSource
{
    public static async Task<SourceResult> ReadAsync(string baseUrl, string tokenFile, string? caBundlePath, DateTimeOffset now, TextWriter notes,
        CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new BadInputException($"--authentik-url {Terminal.Clean(baseUrl)}: not an http(s) URL");
        if (!File.Exists(tokenFile)) throw new BadInputException($"--authentik-token-file {Terminal.Clean(tokenFile)}: file not found");
        var options = new AuthentikOptions
        {
            BaseUrl = baseUrl,
            Token = (await File.ReadAllTextAsync(tokenFile, cancellationToken)).Trim(),
            CaBundlePath = caBundlePath ?? "",
        };
        using var http = new HttpClient(AuthentikTrust.CreateHandler(options))
        {
            BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var client = new AuthentikClient(http);
        try
        {
            await client.GetMeAsync(cancellationToken);
            var snapshots = new List<ResourceSnapshot>();
            foreach (var outpost in await client.ListOutpostsAsync(cancellationToken))
            {
                var pk = outpost.ValueKind == JsonValueKind.Object && outpost.TryGetProperty("pk", out var p) && p.ValueKind == JsonValueKind.String
                    ? p.GetString()
                    : null;
                var health = string.IsNullOrEmpty(pk)
                    ? JsonDocument.Parse("[]").RootElement
                    : await client.GetOutpostHealthAsync(pk, cancellationToken);
                snapshots.Add(AuthentikDecoder.DecodeOutpost(outpost, health, now));
            }
            snapshots.AddRange((await client.ListTokensAsync(cancellationToken)).Select(t => AuthentikDecoder.DecodeToken(t, now)));
            return new SourceResult(snapshots, false, [Kinds.AuthentikOutpost, Kinds.AuthentikToken], []);
        }
        catch (Exception e) when (e is HttpRequestException or AuthentikApiException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The cluster's verdicts still print; the Authentik area says it could not be read.
            await notes.WriteLineAsync($"error: Authentik ({Terminal.Clean(uri.GetLeftPart(UriPartial.Authority))}): {Terminal.Clean(AuthentikPoller.Describe(e))}");
            return new SourceResult([], true, [], []);
        }
    }
}
