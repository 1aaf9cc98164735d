using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Reports;
using HomeOps.Dashboard.Notifications;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Tests.Notifications;

/// <summary>
/// Web Push end to end on loopback: a push service receives the message; the test decrypts it with the subscription's
/// own keys (RFC 8291, aes128gcm — written here with ECDH P-256, HKDF and AES-GCM, independently of the library), checks
/// the VAPID token (RFC 8292), and the same for ntfy's HTTP POST.
/// </summary>
public sealed class WebPushDeliveryTests : IAsyncLifetime
{
    private sealed record Received(string Path, IHeaderDictionary Headers, byte[] Body);

    private readonly ConcurrentQueue<Received> _received = new();
    private WebApplication _push = null!;
    private string _origin = "";
    private readonly string _dir = Directory.CreateTempSubdirectory("homeops-push-").FullName;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _push = builder.Build();
        _push.MapPost("/push/{id}", async (HttpContext ctx, string id) =>
        {
            using var body = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(body);
            _received.Enqueue(new Received(ctx.Request.Path, new HeaderDictionary(ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value)), body.ToArray()));
            return id == "gone" ? Results.StatusCode(410) : Results.StatusCode(201);
        });
        _push.MapPost("/ntfy/{topic}", async (HttpContext ctx) =>
        {
            using var body = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(body);
            _received.Enqueue(new Received(ctx.Request.Path, new HeaderDictionary(ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value)), body.ToArray()));
            return Results.Ok();
        });
        await _push.StartAsync();
        _origin = _push.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async ValueTask DisposeAsync()
    {
        await _push.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static NotificationMessage VolumeDegraded() => NotificationMessage.For(new NotificationEvent(NotificationKind.Problem,
        new Problem("Longhorn", "Volume.longhorn.io", "uid-1", "Volume", "longhorn-system", "pvc-postgres", HealthStatus.Degraded,
            "Degraded", "1 of 2 replicas healthy", null), DateTimeOffset.UtcNow));

    [Fact]
    public async Task The_push_service_receives_a_message_the_subscription_keys_decrypt()
    {
        using var device = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var q = device.ExportParameters(false).Q;
        var uaPublic = new byte[] { 0x04 }.Concat(q.X!).Concat(q.Y!).ToArray();
        var authSecret = RandomNumberGenerator.GetBytes(16);
        var vapid = VapidKeys.Generate("mailto:ops@example.com");
        var store = new SubscriptionStore(Path.Combine(_dir, "subs.json"));
        var subscription = NotificationSubscription.Empty("viewer") with
        {
            Devices = [new PushDevice($"{_origin}/push/phone-1", VapidKeys.Base64Url(uaPublic), VapidKeys.Base64Url(authSecret))],
        };
        store.Save(subscription);
        using var http = new HttpClient();
        var channel = new WebPushChannel(http, vapid, store, NullLogger<WebPushChannel>.Instance);

        await channel.SendAsync(subscription, VolumeDegraded(), TestContext.Current.CancellationToken);

        var got = Assert.Single(_received);
        Assert.Equal("/push/phone-1", got.Path);
        Assert.Equal("aes128gcm", got.Headers.ContentEncoding.ToString());
        Assert.Equal("3600", got.Headers["TTL"].ToString());
        // Degraded is "normal" urgency, which RFC 8030 §5.3 makes the default: no header. One Topic per object (a newer message replaces an older one).
        Assert.False(got.Headers.ContainsKey("Urgency"));
        Assert.Equal(32, got.Headers["Topic"].ToString().Length);

        // RFC 8292: "vapid t=<JWT>, k=<public key>", the JWT signed (ES256) by the VAPID key, for this push service's origin.
        var authorization = got.Headers.Authorization.ToString();
        Assert.StartsWith("vapid ", authorization);
        var parts = authorization["vapid ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .ToDictionary(p => p[..p.IndexOf('=')], p => p[(p.IndexOf('=') + 1)..]);
        Assert.Equal(vapid.PublicKey, parts["k"]);
        var jwt = parts["t"].Split('.');
        using (var verifier = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = FromB64Url(vapid.PublicKey)[1..33], Y = FromB64Url(vapid.PublicKey)[33..] },
        }))
        {
            Assert.True(verifier.VerifyData(Encoding.ASCII.GetBytes(jwt[0] + "." + jwt[1]), FromB64Url(jwt[2]), HashAlgorithmName.SHA256));
        }
        using var claims = JsonDocument.Parse(FromB64Url(jwt[1]));
        // Lib.Net.Http.WebPush writes the audience as scheme://host without the port: the same origin for the real push
        // services (FCM, Mozilla, Apple: https on 443); this loopback service has a port of its own.
        var endpoint = new Uri(_origin);
        Assert.Equal($"{endpoint.Scheme}://{endpoint.Host}", claims.RootElement.GetProperty("aud").GetString());
        Assert.True(claims.RootElement.GetProperty("exp").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal("mailto:ops@example.com", claims.RootElement.GetProperty("sub").GetString());

        // RFC 8291: decrypt with the device's private key and auth secret.
        var plaintext = Rfc8291.Decrypt(got.Body, device, uaPublic, authSecret);
        using var payload = JsonDocument.Parse(plaintext);
        Assert.Equal("Degraded: Volume longhorn-system/pvc-postgres", payload.RootElement.GetProperty("title").GetString());
        Assert.Equal("/longhorn?kind=Volume.longhorn.io&object=uid-1", payload.RootElement.GetProperty("url").GetString());
        Assert.Contains("1 of 2 replicas healthy", payload.RootElement.GetProperty("body").GetString());
        Assert.Equal("degraded", payload.RootElement.GetProperty("severity").GetString());

        // Nothing in the body is readable without the keys.
        Assert.DoesNotContain("pvc-postgres", Encoding.UTF8.GetString(got.Body));
    }

    [Fact]
    public async Task A_device_the_push_service_reports_gone_is_dropped()
    {
        using var device = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var q = device.ExportParameters(false).Q;
        var store = new SubscriptionStore(Path.Combine(_dir, "subs-gone.json"));
        var subscription = NotificationSubscription.Empty("viewer") with
        {
            Devices = [new PushDevice($"{_origin}/push/gone", VapidKeys.Base64Url([0x04, .. q.X!, .. q.Y!]), VapidKeys.Base64Url(RandomNumberGenerator.GetBytes(16)))],
        };
        store.Save(subscription);
        using var http = new HttpClient();
        var channel = new WebPushChannel(http, VapidKeys.Generate("mailto:ops@example.com"), store, NullLogger<WebPushChannel>.Instance);

        await channel.SendAsync(subscription, VolumeDegraded(), TestContext.Current.CancellationToken);

        Assert.Single(_received);
        Assert.Empty(store.Get("viewer")!.Devices);
    }

    [Fact]
    public async Task Ntfy_gets_a_POST_to_the_topic_with_title_priority_deep_link_and_the_token()
    {
        var options = Options.Create(new NotificationOptions
        {
            PublicBaseUrl = "https://homeops.example",
            Ntfy = new NtfySettings { BaseUrl = _origin + "/ntfy", Token = "tk_secret-ntfy-token" },
        });
        using var http = new HttpClient();
        var logs = new ListLogger<NtfyChannel>();
        var channel = new NtfyChannel(http, options, logs);
        var subscription = NotificationSubscription.Empty("viewer") with { NtfyTopic = "homeops-alerts" };
        Assert.True(channel.Reaches(subscription));

        await channel.SendAsync(subscription, VolumeDegraded(), TestContext.Current.CancellationToken);

        var got = Assert.Single(_received);
        Assert.Equal("/ntfy/homeops-alerts", got.Path);
        Assert.Equal("Degraded: Volume longhorn-system/pvc-postgres", got.Headers["Title"].ToString());
        Assert.Equal("high", got.Headers["Priority"].ToString());
        Assert.Equal("https://homeops.example/longhorn?kind=Volume.longhorn.io&object=uid-1", got.Headers["Click"].ToString());
        Assert.Equal("Bearer tk_secret-ntfy-token", got.Headers.Authorization.ToString());
        Assert.Contains("1 of 2 replicas healthy", Encoding.UTF8.GetString(got.Body));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("tk_secret", StringComparison.Ordinal));
    }

    private static byte[] FromB64Url(string s)
    {
        var b = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(b + new string('=', (4 - b.Length % 4) % 4));
    }

    private sealed class ListLogger<T> : ILogger<T>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}

/// <summary>RFC 8291 (Message Encryption for Web Push) over RFC 8188 aes128gcm, the receiving side: what a browser does.</summary>
internal static class Rfc8291
{
    public static byte[] Decrypt(byte[] body, ECDiffieHellman uaPrivate, byte[] uaPublic, byte[] authSecret)
    {
        // RFC 8188 §2.1 header: salt (16) | rs (uint32) | idlen (1) | keyid (the sender's ephemeral public key, 65 bytes).
        var salt = body[..16];
        var rs = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4));
        int idLength = body[20];
        Assert.Equal(65, idLength);
        var asPublic = body[21..(21 + idLength)];
        var ciphertext = body[(21 + idLength)..];
        Assert.True(ciphertext.Length <= rs, "a single record");

        using var sender = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = asPublic[1..33], Y = asPublic[33..] },
        });
        var ecdhSecret = uaPrivate.DeriveRawSecretAgreement(sender.PublicKey);

        // RFC 8291 §3.3–3.4.
        var prkKey = HKDF.Extract(HashAlgorithmName.SHA256, ecdhSecret, authSecret);
        var keyInfo = Encoding.ASCII.GetBytes("WebPush: info\0").Concat(uaPublic).Concat(asPublic).ToArray();
        var ikm = HKDF.Expand(HashAlgorithmName.SHA256, prkKey, 32, keyInfo);
        var prk = HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt);
        var cek = HKDF.Expand(HashAlgorithmName.SHA256, prk, 16, Encoding.ASCII.GetBytes("Content-Encoding: aes128gcm\0"));
        var nonce = HKDF.Expand(HashAlgorithmName.SHA256, prk, 12, Encoding.ASCII.GetBytes("Content-Encoding: nonce\0"));

        var plain = new byte[ciphertext.Length - 16];
        using (var aes = new AesGcm(cek, 16))
            aes.Decrypt(nonce, ciphertext[..^16], ciphertext[^16..], plain);

        // RFC 8188 §2: the last record ends with the delimiter 0x02, then zero padding.
        var end = plain.Length - 1;
        while (end >= 0 && plain[end] == 0) end--;
        Assert.True(end >= 0 && plain[end] == 0x02, "last-record delimiter");
        return plain[..end];
    }
}
