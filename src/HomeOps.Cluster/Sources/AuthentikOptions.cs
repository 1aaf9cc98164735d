namespace HomeOps.Cluster.Sources;

/// <summary>Configuration section <c>Authentik</c>. The token is a secret: it never appears in <see cref="ToString"/> or in messages.</summary>
public sealed class AuthentikOptions
{
    public const string Section = "Authentik";

    /// <summary>Root of the Authentik server, e.g. <c>https://authentik.k8s.home.geoffdavis.com/</c>. Empty = Authentik not configured.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>API token (sent as a bearer token). Secret.</summary>
    public string Token { get; set; } = "";

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A PEM bundle of CA certificates trusted in addition to the system roots (Authentik's self-signed CA). Validation stays on.</summary>
    public string CaBundlePath { get; set; } = "";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(BaseUrl);

    public override string ToString() =>
        $"BaseUrl={BaseUrl}, Token={(string.IsNullOrEmpty(Token) ? "(none)" : "(set)")}, PollInterval={PollInterval}, CaBundlePath={CaBundlePath}";
}
