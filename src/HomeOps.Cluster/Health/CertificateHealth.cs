using System.Text.Json;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Health;

/// <summary>
/// cert-manager Certificates (<c>cert-manager.io/v1</c>, cluster brief §3: cert-manager issues the Ingress certificates).
/// The object's verdict is its <c>Ready</c> condition (<see cref="SecretsHealth.ReadyRule"/>: False → Failed with
/// cert-manager's reason, e.g. <c>DoesNotExist</c>, <c>Expired</c>). Time — expiry and a renewal time that passed without
/// a renewal — is judged on the slow-burn radar (<see cref="Reports.ExpiryRadar"/>), which has a clock; a decoder has none.
/// Fields as cert-manager documents them (CertificateStatus: notBefore, notAfter, renewalTime, conditions). Never throws.
/// </summary>
public static class CertificateHealth
{
    public static ResourceSnapshot Decode(KindInfo kind, JsonElement obj)
    {
        var meta = ObjectParts.Meta(obj);
        var spec = ObjectParts.Spec(obj);
        var status = ObjectParts.Status(obj);
        var conditions = ObjectParts.Conditions(status);
        var details = new CertificateDetails(
            SecretName: spec.Prop("secretName").Str(""),
            DnsNames: [.. spec.ArrayAt("dnsNames", "spec.dnsNames").Strings()],
            IssuerName: spec.At("issuerRef", "name").Str(""),
            NotBefore: status.Prop("notBefore").Time(),
            NotAfter: status.Prop("notAfter").Time(),
            RenewalTime: status.Prop("renewalTime").Time(),
            ReadyMessage: conditions.Find("Ready")?.Message ?? "");
        var verdict = SecretsHealth.ReadyRule(conditions, meta.Generation, status.Prop("observedGeneration").Long(), "certificate issued");
        return new ResourceSnapshot(kind, meta, details, verdict, conditions, ObjectParts.RawStatus(obj));
    }
}
