using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace HomeOps.Simulator.Identity;

/// <summary>
/// The one confidential client (the dashboard), registered like an Authentik OAuth2 provider with implicit consent:
/// code flow only, PKCE required, refresh tokens allowed, exact redirect URIs.
/// </summary>
internal sealed class ClientRegistry(IServiceProvider services, string clientId)
{
    // OpenIddict's manager is not meant for concurrent read-modify-write of the same application.
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task RegisterAsync(string clientSecret, IEnumerable<Uri> redirectUris, IEnumerable<Uri> postLogoutRedirectUris, CancellationToken ct)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = clientSecret,
            ClientType = ClientTypes.Confidential,
            ApplicationType = ApplicationTypes.Web,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "HomeOps Dashboard",
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.EndSession,
                Permissions.Endpoints.Introspection,
                Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile,
                Permissions.Scopes.Email,
                Permissions.Prefixes.Scope + Scopes.OfflineAccess,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in redirectUris)
        {
            descriptor.RedirectUris.Add(Checked(uri));
        }

        foreach (var uri in postLogoutRedirectUris)
        {
            descriptor.PostLogoutRedirectUris.Add(Checked(uri));
        }

        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(descriptor, ct);
    }

    public Task AllowRedirectUriAsync(Uri uri, CancellationToken ct) =>
        UpdateAsync(descriptor => descriptor.RedirectUris.Add(Checked(uri)), ct);

    public Task AllowPostLogoutRedirectUriAsync(Uri uri, CancellationToken ct) =>
        UpdateAsync(descriptor => descriptor.PostLogoutRedirectUris.Add(Checked(uri)), ct);

    private async Task UpdateAsync(Func<OpenIddictApplicationDescriptor, bool> change, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var scope = services.CreateAsyncScope();
            var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            var application = await manager.FindByClientIdAsync(clientId, ct)
                ?? throw new InvalidOperationException($"Client '{clientId}' is not registered.");
            var descriptor = new OpenIddictApplicationDescriptor();
            await manager.PopulateAsync(descriptor, application, ct);
            if (change(descriptor))
            {
                // The descriptor carries the stored secret digest unchanged, so the manager does not re-hash it.
                await manager.UpdateAsync(application, descriptor, ct);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Only exact, absolute http(s) URIs without fragment or user info; OpenIddict compares them verbatim.</summary>
    private static Uri Checked(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) ||
            !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new ArgumentException($"A redirect URI must be an absolute http(s) URI without fragment or user info: '{uri}'.", nameof(uri));
        }

        return uri;
    }
}
