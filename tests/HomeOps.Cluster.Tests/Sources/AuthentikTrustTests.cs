using System.Net;
using System.Security.Cryptography.X509Certificates;
using HomeOps.Cluster.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HomeOps.Cluster.Tests.Sources;

/// <summary>The Authentik client against a real HTTPS server whose certificate a private CA signed.</summary>
public sealed class AuthentikTrustTests
{
    private static async Task<(WebApplication App, Uri BaseUri)> StartHttpsAsync(X509Certificate2 certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        app.MapGet("/api/v3/core/users/me/", () => Results.Json(new { user = new { username = "homeops-dashboard" } }));
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address.Replace("127.0.0.1", "localhost") + "/"));
    }

    private static AuthentikClient Client(Uri baseUri, string caBundle) =>
        new(new HttpClient(AuthentikTrust.CreateHandler(new AuthentikOptions { BaseUrl = baseUri.ToString(), CaBundlePath = caBundle }))
        {
            BaseAddress = baseUri,
        });

    [Fact]
    public async Task A_private_CA_is_rejected_without_the_bundle_and_trusted_with_it()
    {
        using var certs = new TestCertificates();
        using var serverCert = certs.Server("localhost", IPAddress.Loopback);
        var (app, baseUri) = await StartHttpsAsync(serverCert);
        await using var _ = app;
        var bundle = certs.WriteCaBundle();
        try
        {
            var untrusted = await Assert.ThrowsAsync<HttpRequestException>(() => Client(baseUri, "").GetMeAsync(TestContext.Current.CancellationToken));
            Assert.Contains("SSL", untrusted.Message, StringComparison.OrdinalIgnoreCase);

            var me = await Client(baseUri, bundle).GetMeAsync(TestContext.Current.CancellationToken);
            Assert.Equal("homeops-dashboard", me.GetProperty("user").GetProperty("username").GetString());
        }
        finally
        {
            File.Delete(bundle);
        }
    }

    [Fact]
    public async Task The_bundle_does_not_excuse_a_wrong_host_name()
    {
        using var certs = new TestCertificates();
        using var serverCert = certs.Server("authentik.example"); // not "localhost"
        var (app, baseUri) = await StartHttpsAsync(serverCert);
        await using var _ = app;
        var bundle = certs.WriteCaBundle();
        try
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => Client(baseUri, bundle).GetMeAsync(TestContext.Current.CancellationToken));
        }
        finally
        {
            File.Delete(bundle);
        }
    }

    [Fact]
    public void An_unreadable_bundle_is_a_clear_configuration_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            AuthentikTrust.CreateHandler(new AuthentikOptions { CaBundlePath = "/nonexistent/ca.pem" }));
        Assert.Contains("Authentik:CaBundlePath", error.Message);
    }
}
