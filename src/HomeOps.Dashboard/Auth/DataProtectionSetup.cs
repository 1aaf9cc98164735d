using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HomeOps.Cluster.Sources;
using HomeOps.Operations;
using Microsoft.AspNetCore.DataProtection;

namespace HomeOps.Dashboard.Auth;

/// <summary>Section "DataProtection": how the key ring (which signs session cookies and encrypts sessions) is encrypted at rest.</summary>
public sealed class DataProtectionOptions
{
    public const string Section = "DataProtection";

    /// <summary>
    /// Certificate whose public key encrypts each data-protection key before it is written to disk: a PFX (with
    /// <see cref="CertificatePassword"/>) or a PEM certificate (with <see cref="CertificateKeyPath"/>), e.g. files of a
    /// Kubernetes Secret mounted read-only. Required in Production against a real cluster.
    /// </summary>
    public string CertificatePath { get; set; } = "";
    /// <summary>Password of the PFX (environment DataProtection__CertificatePassword, from a secret). Never logged.</summary>
    public string CertificatePassword { get; set; } = "";
    /// <summary>PEM private key for a PEM <see cref="CertificatePath"/> (tls.key of a kubernetes.io/tls Secret).</summary>
    public string CertificateKeyPath { get; set; } = "";
    /// <summary>
    /// Earlier certificates still able to decrypt keys written under them, during a rotation (PFX or PEM pairs as
    /// "cert.pem|key.pem"). See docs/deploy.md.
    /// </summary>
    public string[] PreviousCertificatePaths { get; set; } = [];
    /// <summary>Explicit opt-out for Production: keys stay unencrypted on disk (not recommended; logged at start).</summary>
    public bool AllowUnencryptedKeys { get; set; }

    public override string ToString() => $"CertificatePath={CertificatePath}, CertificatePassword=***";
}

/// <summary>
/// Data protection: keys persisted under Auth:DataProtectionKeysPath, else the data directory (so a restart keeps sessions) and encrypted with
/// a certificate (<c>ProtectKeysWithCertificate</c>), so a copy of the volume or its backup cannot be used to forge a
/// session cookie. In Development and simulator mode without a configured certificate, a self-signed one is generated
/// once into the data directory; in Production against a real cluster a missing certificate stops the start, unless
/// DataProtection:AllowUnencryptedKeys says otherwise.
/// </summary>
public static class DataProtectionSetup
{
    public const string GeneratedCertificateFile = "dataprotection-cert.pfx";

    public const string MissingCertificateMessage =
        "Data-protection keys would be stored unencrypted: set DataProtection:CertificatePath (a PFX with " +
        "DataProtection:CertificatePassword, or a PEM certificate with DataProtection:CertificateKeyPath, e.g. a mounted " +
        "Kubernetes Secret; environment DataProtection__CertificatePath) — see docs/deploy.md — or, knowingly, " +
        "DataProtection:AllowUnencryptedKeys=true.";

    public static void AddDashboardDataProtection(this WebApplicationBuilder builder, AuthOptions auth)
    {
        var configuration = builder.Configuration;
        var options = configuration.GetSection(DataProtectionOptions.Section).Get<DataProtectionOptions>() ?? new DataProtectionOptions();
        var dp = builder.Services.AddDataProtection().SetApplicationName("HomeOps.Dashboard");
        // Keys live with the data they protect, next to the certificate that encrypts them: never in the user-wide
        // ~/.aspnet folder, where every dashboard on the machine (each data directory with its own generated
        // certificate) would find keys it cannot decrypt.
        dp.PersistKeysToFileSystem(new DirectoryInfo(KeysDirectory(auth, DataDirectory(builder))));

        X509Certificate2? certificate;
        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
            certificate = Load(options.CertificatePath, options.CertificateKeyPath, options.CertificatePassword);
        else if (builder.Environment.IsDevelopment() || IsSimulator(configuration))
            certificate = GeneratedCertificate(DataDirectory(builder));
        else if (options.AllowUnencryptedKeys)
            certificate = null;
        else
            throw new InvalidOperationException(MissingCertificateMessage);

        if (certificate is null)
        {
            Console.Error.WriteLine("WARNING: DataProtection:AllowUnencryptedKeys is set: session keys are stored unencrypted.");
            return;
        }
        // A previous certificate is optional (the manifest names its files whether or not a rotation is under way).
        var previous = options.PreviousCertificatePaths
            .Select(p => p.Split('|', 2))
            .Where(parts => File.Exists(parts[0]))
            .Select(parts => Load(parts[0], parts.Length > 1 ? parts[1] : "", options.CertificatePassword))
            .ToList();
        dp.ProtectKeysWithCertificate(certificate)
            // Decryption looks in the certificate store by thumbprint unless given the certificates: give them.
            .UnprotectKeysWithAnyCertificate([certificate, .. previous]);
    }

    private static bool IsSimulator(IConfiguration configuration) =>
        (configuration.GetValue<ClusterMode?>($"{ClusterOptions.Section}:{nameof(ClusterOptions.Mode)}") ?? ClusterMode.Simulator) == ClusterMode.Simulator;

    /// <summary>The operations data directory, resolved as <see cref="Hosting.OperationsHosting"/> resolves it.</summary>
    /// <summary>The one data directory (<see cref="Hosting.OperationsHosting.DataDirectory"/>), outside the source tree by default.</summary>
    private static string DataDirectory(WebApplicationBuilder builder) =>
        Hosting.OperationsHosting.DataDirectory(builder.Configuration, builder.Environment);

    public const string KeysFolder = "dataprotection-keys";

    /// <summary>Auth:DataProtectionKeysPath, else <c>dataprotection-keys</c> in the data directory.</summary>
    public static string KeysDirectory(AuthOptions auth, string dataDirectory) =>
        string.IsNullOrWhiteSpace(auth.DataProtectionKeysPath) ? Path.Combine(dataDirectory, KeysFolder) : auth.DataProtectionKeysPath;

    public static X509Certificate2 Load(string certificatePath, string keyPath, string password)
    {
        if (!string.IsNullOrWhiteSpace(keyPath))
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            // Re-import so the private key is usable on every platform (ephemeral PEM keys are not, on Windows).
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(certificatePath, string.IsNullOrEmpty(password) ? null : password);
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException($"The data-protection certificate {certificatePath} has no private key: keys could not be decrypted.");
        return certificate;
    }

    /// <summary>Development and simulator mode: a self-signed RSA certificate made once and kept in the data directory.</summary>
    public static X509Certificate2 GeneratedCertificate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, GeneratedCertificateFile);
        if (File.Exists(path)) return X509CertificateLoader.LoadPkcs12FromFile(path, null);
        Directory.CreateDirectory(dataDirectory);
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=HomeOps dashboard data protection (generated)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(10));
        var pfx = created.Export(X509ContentType.Pkcs12);
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, pfx);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process on the same data directory made one first: use that.
            File.Delete(temp);
            return X509CertificateLoader.LoadPkcs12FromFile(path, null);
        }
        return X509CertificateLoader.LoadPkcs12(pfx, null);
    }
}
