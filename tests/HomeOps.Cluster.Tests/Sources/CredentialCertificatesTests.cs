using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HomeOps.Cluster.Reports;
using HomeOps.Cluster.Sources.Credentials;
using k8s;

namespace HomeOps.Cluster.Tests.Sources;

/// <summary>
/// The radar's reading of the dashboard's own credentials: kubeconfig client-certificate-data, a talosconfig's
/// contexts.&lt;ctx&gt;.crt, the API server's serving certificate — with generated certificates; never the key.
/// </summary>
public sealed class CredentialCertificatesTests : IDisposable
{
    private static readonly DateTimeOffset NotAfter = new(2027, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("radar-creds-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static (string CertPem, string KeyPem) Client(string subject, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(notAfter.AddYears(-1), notAfter);
        return (cert.ExportCertificatePem(), key.ExportECPrivateKeyPem());
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.ASCII.GetBytes(text));

    private string Kubeconfig(string certPem, string keyPem)
    {
        var path = Path.Combine(_dir.FullName, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: home-ops
              cluster:
                server: https://127.0.0.1:6443
            users:
            - name: admin@home-ops
              user:
                client-certificate-data: {B64(certPem)}
                client-key-data: {B64(keyPem)}
            contexts:
            - name: admin@home-ops
              context:
                cluster: home-ops
                user: admin@home-ops
            current-context: admin@home-ops
            """);
        return path;
    }

    private static string Talosconfig(string certPem, string keyPem, string current = "home-ops") => $"""
        context: {current}
        contexts:
          home-ops:
            endpoints:
              - 172.29.51.11
            ca: {B64(certPem)}
            crt: {B64(certPem)}
            key: {B64(keyPem)}
          other:
            endpoints:
              - 10.0.0.1
        """;

    [Fact]
    public void The_kubeconfigs_client_certificate_data_gives_its_expiry_and_subject_and_never_the_key()
    {
        var (cert, key) = Client("CN=admin,O=system:masters", NotAfter);
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig(cert, key));

        var reading = CredentialCertificates.FromKubeconfig(config, inCluster: false, "context admin@home-ops");

        Assert.Equal((RadarSources.Kubeconfig, "context admin@home-ops"), (reading.Source, reading.Name));
        Assert.Equal(NotAfter, reading.NotAfter);
        Assert.Equal("CN=admin, O=system:masters", reading.Subject);
        Assert.Null(reading.Error);
        var shown = reading.ToString();
        Assert.DoesNotContain(B64(key)[..40], shown);
        Assert.DoesNotContain("PRIVATE KEY", shown);
        Assert.DoesNotContain(B64(cert)[..40], shown);
    }

    [Fact]
    public void In_cluster_the_service_account_token_is_named_instead_of_a_date()
    {
        var reading = CredentialCertificates.FromKubeconfig(new KubernetesClientConfiguration { Host = "https://10.96.0.1", AccessToken = "t" },
            inCluster: true, "in-cluster service account");

        Assert.Equal(("service-account token (rotated by kubelet)", null), (reading.Note, reading.NotAfter));
    }

    [Fact]
    public void A_token_user_has_no_certificate_to_date()
    {
        var reading = CredentialCertificates.FromKubeconfig(new KubernetesClientConfiguration { Host = "https://127.0.0.1", AccessToken = "secret-token" },
            inCluster: false, "simulator");

        Assert.Null(reading.NotAfter);
        Assert.Contains("bearer token", reading.Note);
        Assert.DoesNotContain("secret-token", reading.ToString());
    }

    [Fact]
    public void Malformed_client_certificate_data_is_an_error_not_a_crash()
    {
        var reading = CredentialCertificates.FromKubeconfig(new KubernetesClientConfiguration { ClientCertificateData = B64("not a pem") },
            inCluster: false, "broken");

        Assert.NotNull(reading.Error);
        Assert.Null(reading.NotAfter);
    }

    [Fact]
    public void The_talosconfigs_current_context_crt_gives_its_expiry_and_never_the_key()
    {
        var (cert, key) = Client("O=os:admin", NotAfter);

        var reading = CredentialCertificates.FromTalosconfig(Talosconfig(cert, key));

        Assert.Equal((RadarSources.Talosconfig, "home-ops", NotAfter), (reading.Source, reading.Name, reading.NotAfter));
        Assert.Equal("O=os:admin", reading.Subject);
        Assert.DoesNotContain(B64(key)[..40], reading.ToString());
    }

    [Theory]
    [InlineData("other", "has no client certificate (crt)")]
    [InlineData("missing", "has no context 'missing'")]
    public void A_talosconfig_context_without_a_certificate_says_what_is_missing(string current, string expected)
    {
        var (cert, key) = Client("O=os:admin", NotAfter);

        var reading = CredentialCertificates.FromTalosconfig(Talosconfig(cert, key, current));

        Assert.Contains(expected, reading.Error);
    }

    [Theory]
    [InlineData("# simulated talosconfig\n")]
    [InlineData("context: [unclosed")]
    [InlineData("context: home-ops\ncontexts:\n  home-ops:\n    crt: '%%% not base64'\n")]
    public void A_broken_talosconfig_is_an_error_not_a_crash(string yaml)
    {
        var reading = CredentialCertificates.FromTalosconfig(yaml);

        Assert.NotNull(reading.Error);
        Assert.Null(reading.NotAfter);
    }

    [Fact]
    public void A_missing_talosconfig_file_is_said_plainly()
    {
        var reading = CredentialCertificates.FromTalosconfigFile(Path.Combine(_dir.FullName, "nope"));

        Assert.StartsWith("no talosconfig at ", reading.Error);
    }

    [Fact]
    public async Task The_api_servers_serving_certificate_is_read_by_a_tls_handshake()
    {
        using var certificates = new TestCertificates();
        using var server = certificates.Server("localhost", IPAddress.Loopback);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
            await using var ssl = new SslStream(client.GetStream());
            await ssl.AuthenticateAsServerAsync(server);
        }, TestContext.Current.CancellationToken);

        var reading = await CredentialCertificates.FromServerAsync(new Uri($"https://localhost:{port}"), TimeSpan.FromSeconds(10),
            TestContext.Current.CancellationToken);
        await serve;

        Assert.Null(reading.Error);
        Assert.Equal(new DateTimeOffset(server.NotAfter.ToUniversalTime(), TimeSpan.Zero), reading.NotAfter);
        Assert.Equal(RadarSources.ApiServer, reading.Source);
    }

    [Fact]
    public async Task A_server_that_never_answers_the_handshake_is_an_error_within_the_timeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(); // accepts the TCP connection (backlog) but never speaks TLS
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var reading = await CredentialCertificates.FromServerAsync(new Uri($"https://127.0.0.1:{port}"), TimeSpan.FromMilliseconds(300),
            TestContext.Current.CancellationToken);

        Assert.Equal("no TLS handshake within 300 ms", reading.Error);
    }
}
