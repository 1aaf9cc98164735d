using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Tests.Health;

/// <summary>cert-manager Certificates (cert-manager.io/v1) decoded from fixtures built from cert-manager's documented status fields.</summary>
public sealed class CertificateHealthTests
{
    [Fact]
    public void A_ready_certificate_carries_its_secret_names_issuer_and_status_times()
    {
        var s = ResourceDecoder.TryDecode(Fixtures.Load("cert-manager/certificate-ready-synth.json"), FixtureVerdictTable.Now)!;

        Assert.Equal(Kinds.Certificate.Key, s.Kind.Key);
        Assert.Equal((HealthStatus.Healthy, "Ready"), (s.Verdict.Health, s.Verdict.Reason));
        var d = Assert.IsType<CertificateDetails>(s.Details);
        Assert.Equal("wildcard-internal-tls", d.SecretName);
        Assert.Equal(["*.internal.example.com", "internal.example.com"], d.DnsNames);
        Assert.Equal("letsencrypt-production", d.IssuerName);
        Assert.Equal(DateTimeOffset.Parse("2027-01-24T08:13:29Z"), d.NotAfter);
        Assert.Equal(DateTimeOffset.Parse("2026-10-26T08:13:30Z"), d.NotBefore);
        Assert.Equal(DateTimeOffset.Parse("2026-12-25T08:13:29Z"), d.RenewalTime);
        Assert.Equal("Certificate is up to date and has not expired", d.ReadyMessage);
    }

    [Fact]
    public void A_certificate_that_is_not_ready_is_failed_with_cert_managers_reason_and_has_no_dates()
    {
        var s = ResourceDecoder.TryDecode(Fixtures.Load("cert-manager/certificate-notready-synth.json"), FixtureVerdictTable.Now)!;

        Assert.Equal((HealthStatus.Failed, "DoesNotExist"), (s.Verdict.Health, s.Verdict.Reason));
        Assert.Equal("Issuing certificate as Secret does not exist", s.Verdict.Message);
        var d = Assert.IsType<CertificateDetails>(s.Details);
        Assert.Null(d.NotAfter);
        Assert.Null(d.RenewalTime);
        Assert.Equal("home-assistant-tls", d.SecretName);
    }

    [Fact]
    public void A_certificate_with_a_wrongly_typed_field_is_unknown_naming_the_field()
    {
        var s = ResourceDecoder.TryDecode(Json.Parse("""
            {'apiVersion':'cert-manager.io/v1','kind':'Certificate','metadata':{'name':'x','namespace':'n','uid':'u'},
             'spec':{'dnsNames':'not-a-list','secretName':'x-tls'},'status':{'notAfter':'2027-01-01T00:00:00Z'}}
            """), FixtureVerdictTable.Now)!;

        Assert.Equal((HealthStatus.Unknown, ResourceDecoder.MalformedReason), (s.Verdict.Health, s.Verdict.Reason));
        Assert.Contains("spec.dnsNames", s.Verdict.Message);
    }
}
