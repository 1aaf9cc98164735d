using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace HomeOps.Simulator.Tls;

/// <summary>
/// The simulated checkout's <c>talos/generated/talosconfig</c>: the shape talosctl writes (context, contexts.&lt;name&gt;
/// with endpoints, nodes, ca, crt, key as base64 PEM) with a throw-away <c>os:admin</c> client certificate valid for a
/// year from the simulator's start, as <c>talosctl gen config</c> issues it — so the slow-burn radar reads a real date.
/// The talosctl stand-in does not read it.
/// </summary>
public static class SimulatedTalosconfig
{
    public const string Context = "home-ops";

    public static string Create(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("O=os:admin", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
        static string B64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
        var crt = B64(certificate.ExportCertificatePem());
        var keyPem = B64(key.ExportECPrivateKeyPem());
        return $"""
            # simulated talosconfig
            context: {Context}
            contexts:
              {Context}:
                endpoints:
                  - 127.0.0.1
                nodes:
                  - 127.0.0.1
                ca: {crt}
                crt: {crt}
                key: {keyPem}

            """;
    }
}
