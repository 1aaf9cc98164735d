using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HomeOps.EndToEnd;

/// <summary>Self-signed certificates written as a password-protected PFX, as a mounted Kubernetes Secret would hold one.</summary>
public static class TestCertificates
{
    public static (string Path, string Password) WritePfx(string directory, string subject = "CN=homeops-test-dataprotection")
    {
        Directory.CreateDirectory(directory);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1));
        var password = Guid.NewGuid().ToString("N");
        var path = System.IO.Path.Combine(directory, $"dp-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return (path, password);
    }
}
