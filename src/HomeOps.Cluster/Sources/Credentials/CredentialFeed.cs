using HomeOps.Cluster.Reports;
using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HomeOps.Cluster.Sources.Credentials;

/// <summary>The dashboard's own credentials as last read, and when. <see cref="ReadAt"/> null: not read yet.</summary>
public sealed record CredentialReport(DateTimeOffset? ReadAt, IReadOnlyList<CredentialReading> Readings)
{
    public static readonly CredentialReport NotRead = new(null, []);

    /// <summary>
    /// Reads the cluster's two once: the kubeconfig's client certificate (or notes the service-account token) and the API
    /// server's serving certificate by a bounded TLS handshake. Never throws except on cancellation.
    /// </summary>
    public static async Task<CredentialReport> ReadClusterAsync(KubernetesClientConfiguration? config, bool inCluster, string kubeconfigName,
        TimeSpan handshakeTimeout, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (config is null)
            return new CredentialReport(now, [CredentialReading.Failed(RadarSources.Kubeconfig, kubeconfigName, "no Kubernetes client configuration")]);
        var client = CredentialCertificates.FromKubeconfig(config, inCluster, kubeconfigName);
        var server = Uri.TryCreate(config.Host, UriKind.Absolute, out var url)
            ? await CredentialCertificates.FromServerAsync(url, handshakeTimeout, cancellationToken).ConfigureAwait(false)
            : CredentialReading.Failed(RadarSources.ApiServer, config.Host ?? "", "the API server URL is not an absolute URL");
        return new CredentialReport(now, [client, server]);
    }

    public CredentialReport With(CredentialReading reading) => this with { Readings = [.. Readings, reading] };
}

/// <summary>Where the radar gets the dashboard's own credentials from: the <see cref="CredentialFeed"/>, or nothing.</summary>
public interface ICredentialSource
{
    CredentialReport Current { get; }

    /// <summary>Raised after every read with the new report.</summary>
    event Action<CredentialReport>? Changed;
}

/// <summary>No credential reading in this process (a host without the feed): the radar says "not read", never "healthy".</summary>
public sealed class NoCredentialSource : ICredentialSource
{
    public CredentialReport Current => CredentialReport.NotRead;

    public event Action<CredentialReport>? Changed
    {
        add { }
        remove { }
    }
}

/// <summary>
/// Reads the dashboard's own credentials every <see cref="RadarOptions.CredentialInterval"/> for the radar. Only dates,
/// subjects and error texts are kept; the log says which credential failed, never its content.
/// </summary>
public sealed class CredentialFeed(KubernetesClientFactory factory, ClusterOptions cluster, Func<string?> talosconfigPath, RadarOptions options,
    TimeProvider time, ILogger<CredentialFeed> logger) : BackgroundService, ICredentialSource
{
    private CredentialReport _current = CredentialReport.NotRead;

    public CredentialReport Current => Volatile.Read(ref _current);

    public event Action<CredentialReport>? Changed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await ReadOnceAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(options.CredentialInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task<CredentialReport> ReadOnceAsync(CancellationToken cancellationToken)
    {
        KubernetesClientConfiguration? config = null;
        try { config = factory.BuildConfiguration(); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("The radar could not build the Kubernetes client configuration: {Type}", e.GetType().Name);
        }
        var inCluster = cluster.Mode == ClusterMode.InCluster;
        var name = inCluster ? "in-cluster service account" : config?.CurrentContext is { Length: > 0 } ctx ? $"context {ctx}" : "kubeconfig";
        var report = (await CredentialReport.ReadClusterAsync(config, inCluster, name, options.HandshakeTimeout, time.GetUtcNow(),
            cancellationToken).ConfigureAwait(false)).With(CredentialCertificates.FromTalosconfigFile(talosconfigPath()));
        Volatile.Write(ref _current, report);
        foreach (var failed in report.Readings.Where(r => r.Error is not null))
            logger.LogWarning("Radar: the {Source} certificate could not be read: {Error}", failed.Source, failed.Error);
        try { Changed?.Invoke(report); }
        catch (Exception e) { logger.LogWarning(e, "A credential feed subscriber failed"); }
        return report;
    }
}

