namespace HomeOps.Simulator.Identity;

/// <summary>
/// The endpoint URIs become known only once Kestrel has bound port 0, after the services are built. OpenIddict reads its
/// options at the first request, which cannot come before the port exists; reading them earlier is a bug this throws on.
/// </summary>
internal sealed class PendingUris
{
    private ProviderUris? _uris;

    public ProviderUris Uris => _uris ?? throw new InvalidOperationException("The identity provider's address is not known before it is listening.");

    public void Set(ProviderUris uris) => _uris = uris;
}
