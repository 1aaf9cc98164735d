using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HomeOps.EndToEnd;

/// <summary>
/// Hosts the real dashboard (Program.cs) on real Kestrel on a dynamic loopback port, on its embedded simulator.
/// Settings go in as host configuration so Program.cs sees them before Build (dotnet/aspnetcore#37680).
/// </summary>
public sealed class DashboardFactory(IReadOnlyDictionary<string, string?> settings, string environment = "Development") : WebApplicationFactory<Program>
{
    protected override IHost CreateHost(IHostBuilder builder)
    {
        builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(settings));
        return base.CreateHost(builder);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseEnvironment(environment);

    /// <summary>Starts Kestrel on 127.0.0.1 with a dynamic port and returns the base URL (no trailing slash).</summary>
    public string StartOnLoopback()
    {
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return addresses.First().TrimEnd('/');
    }
}
