using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using YamlDotNet.RepresentationModel;

namespace HomeOps.Cluster.Sources.Credentials;

/// <summary>
/// What one credential the dashboard uses looks like on the slow-burn radar: the certificate's validity (never the key,
/// never the certificate bytes), or a note when it has no date (a service-account token), or why it could not be read.
/// </summary>
/// <param name="Source">One of <see cref="Reports.RadarSources"/>.</param>
/// <param name="Name">What it is, for a person: the kubeconfig user, the talosconfig context, the API server's host.</param>
public sealed record CredentialReading(string Source, string Name, string? Subject, DateTimeOffset? NotBefore, DateTimeOffset? NotAfter,
    string? Note, string? Error)
{
    public static CredentialReading Of(string source, string name, X509Certificate2 certificate) =>
        new(source, name, certificate.Subject, new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero), null, null);

    public static CredentialReading Noted(string source, string name, string note) => new(source, name, null, null, null, note, null);

    public static CredentialReading Failed(string source, string name, string error) => new(source, name, null, null, null, null, error);
}

/// <summary>
/// Reads the client certificates of the kubeconfig and talosconfig the dashboard uses, and the API server's serving
/// certificate. Only public certificate fields leave this class; key material is never read into a reading, logged or
/// returned. Every method answers with a reading (an error text when something is wrong) and never throws.
/// </summary>
public static class CredentialCertificates
{
    public const string ServiceAccountNote = "service-account token (rotated by kubelet)";

    /// <summary>The client credential of a built kubeconfig configuration: its client certificate, a token, or nothing.</summary>
    public static CredentialReading FromKubeconfig(KubernetesClientConfiguration config, bool inCluster, string name)
    {
        const string source = Reports.RadarSources.Kubeconfig;
        try
        {
            if (inCluster) return CredentialReading.Noted(source, name, ServiceAccountNote);
            if (!string.IsNullOrEmpty(config.ClientCertificateData))
                return Parse(source, name, Encoding.ASCII.GetString(Convert.FromBase64String(config.ClientCertificateData.Trim())));
            if (!string.IsNullOrEmpty(config.ClientCertificateFilePath))
                return Parse(source, name, File.ReadAllText(config.ClientCertificateFilePath));
            if (!string.IsNullOrEmpty(config.AccessToken) || config.TokenProvider is not null)
                return CredentialReading.Noted(source, name, "bearer token (no client certificate; its lifetime is not visible here)");
            return CredentialReading.Noted(source, name, "no client certificate");
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            return CredentialReading.Failed(source, name, $"the client certificate could not be read: {Safe(e)}");
        }
    }

    /// <summary>
    /// The client certificate of a talosconfig (<c>context</c>, <c>contexts.&lt;ctx&gt;.crt</c> as base64 PEM), for
    /// <paramref name="context"/> or the file's current context.
    /// </summary>
    public static CredentialReading FromTalosconfig(string yaml, string? context = null)
    {
        const string source = Reports.RadarSources.Talosconfig;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
                return CredentialReading.Failed(source, context ?? "", "the talosconfig is empty or not a YAML mapping");
            var name = context ?? Scalar(root, "context") ?? "";
            if (name.Length == 0) return CredentialReading.Failed(source, "", "the talosconfig names no current context");
            if (Child(root, "contexts") is not YamlMappingNode contexts || Child(contexts, name) is not YamlMappingNode ctx)
                return CredentialReading.Failed(source, name, $"the talosconfig has no context '{name}'");
            if (Scalar(ctx, "crt") is not { Length: > 0 } crt)
                return CredentialReading.Failed(source, name, $"context '{name}' has no client certificate (crt)");
            return Parse(source, name, Encoding.ASCII.GetString(Convert.FromBase64String(crt.Trim())));
        }
        catch (Exception e) when (e is FormatException or YamlDotNet.Core.YamlException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            return CredentialReading.Failed(source, context ?? "", $"the talosconfig could not be read: {Safe(e)}");
        }
    }

    /// <summary>Reads a talosconfig file; a missing file is said plainly.</summary>
    public static CredentialReading FromTalosconfigFile(string? path, string? context = null)
    {
        if (string.IsNullOrWhiteSpace(path))
            return CredentialReading.Noted(Reports.RadarSources.Talosconfig, "", "no talosconfig configured (Operations:HomeOpsCheckout)");
        try
        {
            return File.Exists(path)
                ? FromTalosconfig(File.ReadAllText(path), context)
                : CredentialReading.Failed(Reports.RadarSources.Talosconfig, Path.GetFileName(path), $"no talosconfig at {path}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return CredentialReading.Failed(Reports.RadarSources.Talosconfig, Path.GetFileName(path), $"the talosconfig could not be read: {Safe(e)}");
        }
    }

    /// <summary>
    /// The API server's serving certificate, by a TLS handshake to <paramref name="server"/> (the URL the client uses),
    /// bounded by <paramref name="timeout"/>. The certificate is read whether or not it validates: the radar is about
    /// time left; the Kubernetes client keeps validating it for every call it makes.
    /// </summary>
    public static async Task<CredentialReading> FromServerAsync(Uri server, TimeSpan timeout, CancellationToken cancellationToken)
    {
        const string source = Reports.RadarSources.ApiServer;
        var name = server.Authority;
        if (server.Scheme != Uri.UriSchemeHttps) return CredentialReading.Noted(source, name, "plain HTTP: no serving certificate");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(server.Host, server.Port, cts.Token).ConfigureAwait(false);
            await using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = server.IdnHost }, cts.Token).ConfigureAwait(false);
            return ssl.RemoteCertificate is X509Certificate2 seen
                ? CredentialReading.Of(source, name, seen)
                : CredentialReading.Failed(source, name, "the server sent no certificate");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CredentialReading.Failed(source, name, $"no TLS handshake within {(timeout.TotalSeconds >= 1 ? $"{timeout.TotalSeconds:0} s" : $"{timeout.TotalMilliseconds:0} ms")}");
        }
        catch (Exception e) when (e is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            return CredentialReading.Failed(source, name, $"TLS handshake failed: {Safe(e)}");
        }
    }

    private static CredentialReading Parse(string source, string name, string pem)
    {
        // The first CERTIFICATE block only: a private key beside it is never parsed.
        using var certificate = X509Certificate2.CreateFromPem(pem);
        return CredentialReading.Of(source, name, certificate);
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlMappingNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    // Exception texts of these types name the failure, not the input (no certificate or key bytes); cut long ones anyway.
    private static string Safe(Exception e) => e.Message.Length > 200 ? e.Message[..200] + "…" : e.Message;
}
