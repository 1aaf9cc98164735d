using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace HomeOps.Dashboard.Hosting;

public static class StartupBanner
{
    /// <summary>Once the server listens, prints where to open the dashboard (the real bound URLs, so --urls and port 0 are honest).</summary>
    public static void PrintStartupBanner(this WebApplication app, string? kubeconfigPath)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("HomeOps.Dashboard");
            var addresses = app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            // A listener on every interface is printed as the names a browser can open (0.0.0.0 is not one).
            foreach (var address in DashboardOrigins.Printable(addresses, System.Net.Dns.GetHostName()))
            {
                Console.WriteLine($"HomeOps dashboard: {address}");
                logger.LogInformation("Dashboard listening on {Url}", address);
            }
            if (kubeconfigPath is not null)
            {
                Console.WriteLine($"Embedded simulator kubeconfig: {kubeconfigPath}");
                Console.WriteLine($"  try: kubectl --kubeconfig {kubeconfigPath} get nodes");
                logger.LogInformation("Embedded simulator kubeconfig {KubeconfigPath}", kubeconfigPath);
            }
        });
    }
}
