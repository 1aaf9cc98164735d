using HomeOps.Dashboard.Auth;
using HomeOps.Simulator.Identity;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Serilog;
using Serilog.Extensions.Logging;

namespace HomeOps.Dashboard.Hosting;

/// <summary>
/// In simulator mode with no Authentik configured, sign-in goes through the simulator's Authentik-shaped OpenID
/// provider on loopback — the same OIDC handler and settings shape as against Authentik, a real code+PKCE flow.
/// </summary>
public static class EmbeddedIdentity
{
    public static async Task<IdentityProviderHost?> StartEmbeddedIdentityAsync(this WebApplicationBuilder builder)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration["Oidc:Authority"])) return null;

        var options = new IdentityProviderOptions();
        builder.Configuration.GetSection("Simulator:Identity").Bind(options);
        // The host's logging is not built yet: the provider gets its own Serilog logger from the same configuration.
        var loggerFactory = new SerilogLoggerFactory(
            new LoggerConfiguration().ReadFrom.Configuration(builder.Configuration).WriteTo.Console().CreateLogger(), dispose: true);
        var idp = await IdentityProviderHost.StartAsync(options, loggerFactory);

        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Oidc:Authority"] = idp.Issuer.ToString(),
            ["Oidc:ClientId"] = idp.ClientId,
            ["Oidc:ClientSecret"] = idp.ClientSecret,
            // The embedded provider is plain http on loopback; a real Authentik is always https.
            ["Oidc:RequireHttpsMetadata"] = "false",
            ["Auth:AllowInsecureCookies"] = builder.Configuration["Auth:AllowInsecureCookies"] ?? "true",
        });
        builder.Services.AddSingleton(idp);
        // The browser meets the provider on the dashboard's own origin (see EmbeddedIdentityFrontChannel).
        var origins = new DashboardOrigins();
        builder.Services.AddSingleton(origins);
        builder.Services.PostConfigure<OpenIdConnectOptions>(AuthenticationSetup.OidcScheme,
            o => EmbeddedIdentityFrontChannel.RewriteRedirects(o, idp, origins));
        builder.Services.AddHostedService(sp => new IdentityLifetime(idp, origins, sp, loggerFactory));
        return idp;
    }

    /// <summary>
    /// Registers the dashboard's real callback URLs once the server has bound, prints the sign-in help once, disposes on
    /// stop. The registration runs in <see cref="IHostedLifecycleService.StartedAsync"/>: after the server started (its
    /// addresses are known) and before the host reports itself started — so the "HomeOps dashboard: …" line
    /// (<see cref="StartupBanner"/>, on ApplicationStarted) appears only once a sign-in from it can succeed. Done on
    /// ApplicationStarted itself, it raced that line: a browser opened at once met an unregistered callback URL.
    /// </summary>
    private sealed class IdentityLifetime(IdentityProviderHost idp, DashboardOrigins origins, IServiceProvider services, ILoggerFactory idpLogging) : IHostedLifecycleService
    {
        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => RegisterAsync();

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        private async Task RegisterAsync()
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("HomeOps.Dashboard");
            try
            {
                var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
                origins.Set(DashboardOrigins.FromBoundAddresses(addresses, DashboardOrigins.MachineNames(), DashboardOrigins.InterfaceAddresses()));
                // Exact callback URLs, one pair per origin the dashboard serves: there is no wildcard.
                foreach (var root in origins.All)
                {
                    await idp.AllowRedirectUriAsync(new Uri(root, "/signin-oidc"));
                    await idp.AllowPostLogoutRedirectUriAsync(new Uri(root, "/signout-callback-oidc"));
                }
                // Printed once to the terminal (not to the log): the operator needs them to sign in to the demo.
                Console.WriteLine($"Sign in as '{IdentityProviderHost.AdminUsername}' (operator) with password: {idp.AdminPassword}");
                Console.WriteLine($"Sign in as '{IdentityProviderHost.ViewerUsername}' (viewer)   with password: {idp.ViewerPassword}");
                logger.LogInformation("Embedded identity provider at {Issuer}", idp.Issuer);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Could not register the dashboard's callback URLs with the embedded identity provider");
            }
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            await idp.DisposeAsync();
            idpLogging.Dispose();
        }
    }
}
