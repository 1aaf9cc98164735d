using Microsoft.Extensions.Options;

namespace HomeOps.Cluster.Reports;

/// <summary>Configuration section <c>Radar</c>: the slow-burn radar's warning windows and how often the dashboard's own credentials are read (README, "Slow-burn radar").</summary>
public sealed class RadarOptions
{
    public const string Section = "Radar";

    /// <summary>A cert-manager Certificate that expires sooner than this is Degraded (cert-manager renews 30 d before a 90-day certificate expires).</summary>
    public TimeSpan CertificateWarning { get; set; } = TimeSpan.FromDays(21);

    /// <summary>How long past its <c>status.renewalTime</c> a Certificate may go unrenewed before it is Degraded (a renewal takes minutes).</summary>
    public TimeSpan RenewalGrace { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The kubeconfig's and talosconfig's client certificates (Talos issues them for a year).</summary>
    public TimeSpan ClientCertificateWarning { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The API server's serving certificate (Talos rotates it; a short one is a sign rotation stopped).</summary>
    public TimeSpan ApiServerCertificateWarning { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the kubeconfig, talosconfig and API server certificates are read again.</summary>
    public TimeSpan CredentialInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The TLS handshake that reads the API server's certificate is given up after this long.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Checked at start: every window positive, a renewal grace not negative, a sane interval and handshake timeout.</summary>
public sealed class RadarOptionsValidation : IValidateOptions<RadarOptions>
{
    public ValidateOptionsResult Validate(string? name, RadarOptions o)
    {
        var problems = new List<string>();
        if (o.CertificateWarning <= TimeSpan.Zero) problems.Add("Radar:CertificateWarning must be positive");
        if (o.RenewalGrace < TimeSpan.Zero) problems.Add("Radar:RenewalGrace must not be negative");
        if (o.ClientCertificateWarning <= TimeSpan.Zero) problems.Add("Radar:ClientCertificateWarning must be positive");
        if (o.ApiServerCertificateWarning <= TimeSpan.Zero) problems.Add("Radar:ApiServerCertificateWarning must be positive");
        if (o.CredentialInterval < TimeSpan.FromSeconds(10)) problems.Add("Radar:CredentialInterval must be at least 10 s");
        if (o.HandshakeTimeout <= TimeSpan.Zero || o.HandshakeTimeout > TimeSpan.FromSeconds(60))
            problems.Add("Radar:HandshakeTimeout must be positive and at most 60 s");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
