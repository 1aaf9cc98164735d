using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HomeOps.Simulator.Tls;

/// <summary>
/// A throw-away certificate authority and a server certificate for 127.0.0.1/localhost, made at start-up.
/// kubectl (client-go) sends a kubeconfig's credentials only over TLS, so the Kubernetes API is also served on an
/// HTTPS port whose CA the kubeconfig carries as <c>certificate-authority-data</c>.
/// </summary>
internal sealed class SimulatorCertificate : IDisposable
{
    private SimulatorCertificate(X509Certificate2 server, string authorityPem)
    {
        Server = server;
        AuthorityPem = authorityPem;
    }

    /// <summary>The server certificate with its private key, for Kestrel.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>The CA certificate (PEM) clients must trust.</summary>
    public string AuthorityPem { get; }

    public static SimulatorCertificate Create(DateTimeOffset now)
    {
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest("CN=home-ops-simulator-ca", authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        authorityRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(authorityRequest.PublicKey, false));
        using var authority = authorityRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=home-ops-simulator", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var signed = serverRequest.Create(authority, now.AddMinutes(-5), now.AddMonths(6), serial);
        using var withKey = signed.CopyWithPrivateKey(serverKey);
        // A PKCS#12 round trip gives a certificate whose key every platform's TLS stack can use.
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
        return new SimulatorCertificate(server, authority.ExportCertificatePem());
    }

    public void Dispose() => Server.Dispose();
}
