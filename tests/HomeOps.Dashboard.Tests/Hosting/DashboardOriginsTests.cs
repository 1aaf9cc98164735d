using System.Net;
using HomeOps.Dashboard.Hosting;
using Microsoft.AspNetCore.Http;

namespace HomeOps.Dashboard.Tests.Hosting;

/// <summary>
/// The origins the embedded sign-in accepts: every name a browser can use to reach a listener, and nothing a request
/// could merely claim in its Host header.
/// </summary>
public sealed class DashboardOriginsTests
{
    private static readonly string[] Machine = ["vm", "vm.home.example"];
    private static readonly IPAddress[] Interfaces = [IPAddress.Parse("192.0.2.2"), IPAddress.Loopback];

    [Theory]
    [InlineData("http://localhost:5080", "localhost:5080", true)]
    [InlineData("http://localhost:5080", "127.0.0.1:5080", true)]
    [InlineData("http://localhost:5080", "[::1]:5080", true)]
    [InlineData("http://localhost:5080", "LOCALHOST:5080", true)]
    [InlineData("http://localhost:5080", "localhost:5081", false)]      // another port is another origin
    [InlineData("http://localhost:5080", "vm:5080", false)]             // loopback listener: the LAN name cannot reach it
    [InlineData("http://localhost:5080", "evil.example:5080", false)]
    [InlineData("http://localhost:5080", "localhost.evil.example:5080", false)]
    [InlineData("http://0.0.0.0:8080", "vm:8080", true)]
    [InlineData("http://0.0.0.0:8080", "vm.home.example:8080", true)]
    [InlineData("http://0.0.0.0:8080", "192.0.2.2:8080", true)]
    [InlineData("http://0.0.0.0:8080", "localhost:8080", true)]
    [InlineData("http://0.0.0.0:8080", "evil.example:8080", false)]
    [InlineData("http://[::]:8080", "vm:8080", true)]
    [InlineData("http://0.0.0.0:80", "vm", true)]                        // the default port is left out of the Host header
    [InlineData("http://192.0.2.2:8080", "192.0.2.2:8080", true)]
    [InlineData("http://192.0.2.2:8080", "vm:8080", false)]
    public void A_host_is_accepted_only_when_a_listener_answers_to_it(string bound, string host, bool accepted)
    {
        var origins = new DashboardOrigins();
        origins.Set(DashboardOrigins.FromBoundAddresses([bound], Machine, Interfaces));
        var request = new DefaultHttpContext().Request;
        request.Scheme = "http";
        request.Host = HostString.FromUriComponent(host);

        Assert.Equal(accepted, origins.TryMatch(request, out var origin));
        if (accepted) Assert.Equal(request.Host.Host, origin.Host, ignoreCase: true);
    }

    [Fact]
    public void An_https_request_does_not_match_an_http_listener()
    {
        var origins = new DashboardOrigins();
        origins.Set(DashboardOrigins.FromBoundAddresses(["http://localhost:5080"], Machine, Interfaces));
        var request = new DefaultHttpContext().Request;
        request.Scheme = "https";
        request.Host = new HostString("localhost", 5080);
        Assert.False(origins.TryMatch(request, out _));
    }

    [Fact]
    public void Nothing_is_accepted_before_the_server_listens()
    {
        var request = new DefaultHttpContext().Request;
        request.Scheme = "http";
        request.Host = new HostString("localhost", 5080);
        Assert.False(new DashboardOrigins().TryMatch(request, out _));
    }

    [Theory]
    [InlineData("http://localhost:5080", "http://localhost:5080")]
    [InlineData("http://0.0.0.0:8080", "http://vm:8080|http://localhost:8080")]
    [InlineData("http://[::]:8080", "http://vm:8080|http://localhost:8080")]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080")]
    public void A_listener_on_every_interface_is_printed_as_names_a_browser_can_open(string bound, string printed)
    {
        Assert.Equal(printed.Split('|'), DashboardOrigins.Printable([bound], "VM"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:40000/application/o/authorize/?client_id=x&state=y", "http://vm:8080/application/o/authorize/?client_id=x&state=y")]
    [InlineData("http://127.0.0.1:40000/application/o/homeops-dashboard/end-session/", "http://vm:8080/application/o/homeops-dashboard/end-session/")]
    [InlineData("http://127.0.0.1:40001/application/o/authorize/", "http://127.0.0.1:40001/application/o/authorize/")] // not the provider
    [InlineData("https://authentik.example/application/o/authorize/", "https://authentik.example/application/o/authorize/")]
    public void Only_the_providers_own_urls_move_to_the_browsers_origin(string url, string expected)
    {
        Assert.Equal(expected, EmbeddedIdentityFrontChannel.OnOrigin(url, new Uri("http://127.0.0.1:40000/"), new Uri("http://vm:8080/")));
    }
}
