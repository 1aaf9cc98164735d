using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace HomeOps.Cluster.Sources;

/// <summary>
/// TLS trust for the Authentik API: the system roots, plus an optional PEM bundle of extra CAs (Authentik's
/// self-signed CA). Validation is never switched off: a name mismatch or an unknown issuer is still rejected.
/// </summary>
public static class AuthentikTrust
{
    /// <summary>The primary handler for the Authentik HttpClient.</summary>
    public static HttpMessageHandler CreateHandler(AuthentikOptions options)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (!string.IsNullOrWhiteSpace(options.CaBundlePath))
        {
            var bundle = LoadBundle(options.CaBundlePath);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                Validate(certificate, chain, errors, bundle);
        }
        return handler;
    }

    public static X509Certificate2Collection LoadBundle(string path)
    {
        var bundle = new X509Certificate2Collection();
        try
        {
            bundle.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException($"Authentik:CaBundlePath '{path}' could not be read as a PEM bundle: {ex.Message}", ex);
        }
        if (bundle.Count == 0)
            throw new InvalidOperationException($"Authentik:CaBundlePath '{path}' holds no certificate.");
        return bundle;
    }

    /// <summary>Accepts what the system accepts; otherwise only a chain error that the bundle's CAs resolve.</summary>
    public static bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection bundle)
    {
        if (errors == SslPolicyErrors.None) return true;
        // A wrong host name or a missing certificate is never rescued by extra trust.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0) return false;

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(bundle);
        custom.ChainPolicy.ExtraStore.AddRange(bundle);
        // A private CA for a home lab rarely publishes revocation lists.
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
            foreach (var element in chain.ChainElements)
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        if (certificate is X509Certificate2 leaf) return custom.Build(leaf);
        using var copy = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(copy);
    }
}
