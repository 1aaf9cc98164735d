using System.Net;
using HomeOps.Dashboard.Auth;
using Microsoft.Extensions.Time.Testing;

namespace HomeOps.Dashboard.Tests.Auth;

/// <summary>
/// Anonymous challenges must not turn into one outbound call each: the provider's reachability is probed at most once
/// per cache window, however many requests arrive (concurrently or not), and an outage or a recovery is seen once the
/// window has passed. Time is a fake clock; the "provider" is a handler counting the probes.
/// </summary>
public class IdentityProviderReachabilityTests
{
    private const string Discovery = "https://authentik.example/application/o/homeops/.well-known/openid-configuration";

    private sealed class CountingProvider : HttpMessageHandler
    {
        private int _probes;
        public int Probes => Volatile.Read(ref _probes);
        public volatile bool Up = true;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _probes);
            await Task.Yield();
            if (!Up) throw new HttpRequestException("connection refused");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
        }
    }

    [Fact]
    public async Task Many_anonymous_challenges_make_one_probe_per_window()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T12:00:00Z"));
        var provider = new CountingProvider();
        using var backchannel = new HttpClient(provider);
        var reachability = new IdentityProviderReachability(time, TimeSpan.FromSeconds(10));
        var ct = TestContext.Current.CancellationToken;

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => reachability.IsReachableAsync(backchannel, Discovery, ct)));
        Assert.All(answers, Assert.True);
        Assert.Equal(1, provider.Probes);

        for (var i = 0; i < 20; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(450));   // 9 s in all: still inside the window
            Assert.True(await reachability.IsReachableAsync(backchannel, Discovery, ct));
        }
        Assert.Equal(1, provider.Probes);

        // The window has passed: the next challenge probes again and sees the outage; that answer is cached too.
        provider.Up = false;
        time.Advance(TimeSpan.FromSeconds(1.1));
        Assert.False(await reachability.IsReachableAsync(backchannel, Discovery, ct));
        Assert.False(await reachability.IsReachableAsync(backchannel, Discovery, ct));
        Assert.Equal(2, provider.Probes);

        provider.Up = true;
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await reachability.IsReachableAsync(backchannel, Discovery, ct));
        Assert.Equal(3, provider.Probes);
    }

    [Fact]
    public async Task A_zero_window_probes_every_time()
    {
        var time = new FakeTimeProvider();
        var provider = new CountingProvider();
        using var backchannel = new HttpClient(provider);
        var reachability = new IdentityProviderReachability(time, TimeSpan.Zero);
        for (var i = 0; i < 3; i++) Assert.True(await reachability.IsReachableAsync(backchannel, Discovery, TestContext.Current.CancellationToken));
        Assert.Equal(3, provider.Probes);
    }
}
