using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HomeOps.Reliability.Tests.Support;

/// <summary>
/// A real HTTP reverse proxy on loopback in front of a server, whose answers can be delayed at will: a slow Authentik
/// (an overloaded server, a congested link) without touching the server itself. GET only, which is all the poller sends.
/// </summary>
internal sealed class SlowProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private long _delayTicks;

    private SlowProxy(WebApplication app, HttpClient upstream, Uri baseUri)
    {
        _app = app;
        _upstream = upstream;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    /// <summary>How long every answer is held back (zero: pass straight through).</summary>
    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
        set => Interlocked.Exchange(ref _delayTicks, value.Ticks);
    }

    public static async Task<SlowProxy> StartAsync(Uri upstream)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var client = new HttpClient { BaseAddress = upstream };
        SlowProxy? proxy = null;
        app.Run(async context =>
        {
            var delay = proxy!.Delay;
            if (delay > TimeSpan.Zero)
            {
                try { await Task.Delay(delay, context.RequestAborted); }
                catch (OperationCanceledException) { return; } // the client gave up: that is the point
            }
            using var request = new HttpRequestMessage(HttpMethod.Get, context.Request.Path + context.Request.QueryString);
            if (context.Request.Headers.Authorization.Count > 0)
                request.Headers.TryAddWithoutValidation("Authorization", context.Request.Headers.Authorization.ToString());
            using var response = await client.SendAsync(request, context.RequestAborted);
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        });
        await app.StartAsync();
        proxy = new SlowProxy(app, client, new Uri(app.Urls.First().TrimEnd('/') + "/"));
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2))) await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
