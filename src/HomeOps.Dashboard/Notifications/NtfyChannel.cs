using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Notifications;

/// <summary>
/// ntfy: an HTTP POST of the text to <c>Notifications:Ntfy:BaseUrl</c>/<c>topic</c>, with Title, Priority, Tags and
/// Click (the deep link, absolute when <c>Notifications:PublicBaseUrl</c> is set) headers, and the server's token as a
/// bearer token. The token is never logged.
/// </summary>
public sealed class NtfyChannel(HttpClient http, IOptions<NotificationOptions> options, ILogger<NtfyChannel> log) : INotificationChannel
{
    public string Name => "ntfy";

    public bool Reaches(NotificationSubscription subscription) =>
        !string.IsNullOrWhiteSpace(subscription.NtfyTopic) && !string.IsNullOrWhiteSpace(options.Value.Ntfy.BaseUrl);

    public async Task SendAsync(NotificationSubscription subscription, NotificationMessage message, CancellationToken ct)
    {
        var o = options.Value;
        var url = o.Ntfy.BaseUrl!.TrimEnd('/') + "/" + Uri.EscapeDataString(subscription.NtfyTopic!.Trim());
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(message.Body, Encoding.UTF8, "text/plain") };
        // Header values must be ASCII-safe: ntfy reads RFC 2047 encoded words for anything else.
        request.Headers.TryAddWithoutValidation("Title", HeaderText(message.Title));
        request.Headers.TryAddWithoutValidation("Priority", message.Severity switch { "failed" => "urgent", "degraded" => "high", _ => "default" });
        request.Headers.TryAddWithoutValidation("Tags", message.Severity switch { "recovered" => "white_check_mark", "failed" => "rotating_light", _ => "warning" });
        if (Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var origin))
            request.Headers.TryAddWithoutValidation("Click", new Uri(origin, message.Url).ToString());
        if (!string.IsNullOrEmpty(o.Ntfy.Token)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.Ntfy.Token);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            log.LogWarning("ntfy for {User} answered {Status}", subscription.User, (int)response.StatusCode);
            throw new HttpRequestException($"ntfy answered {(int)response.StatusCode}", null, response.StatusCode);
        }
    }

    private static string HeaderText(string s) =>
        s.All(c => c is >= ' ' and < (char)127) ? s : "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(s)) + "?=";
}
