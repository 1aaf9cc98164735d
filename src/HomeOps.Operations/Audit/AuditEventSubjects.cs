using System.Text.Json;
using HomeOps.Operations.Flux;
using HomeOps.Operations.Guards;

namespace HomeOps.Operations.Audit;

/// <summary>A Kubernetes object an audit Event is recorded on (its <c>involvedObject</c>) and the namespace the Event lives in.</summary>
public sealed record AuditEventSubject(string ApiVersion, string Kind, string? Namespace, string Name, string EventNamespace);

/// <summary>
/// Which objects an audit entry is about, read back from what the entry stores (so a completed entry re-read from the
/// database resolves the same way): a Flux action → the Flux object; a run → each of its nodes (node Events live in
/// <c>default</c>, as the kubelet's do), or, for a run without node targets (a bootstrap phase), the dashboard's own
/// namespace. Refusals by the authorization layer and the rate limit name no cluster object and get no Event: anyone
/// signed in could otherwise fill the cluster's Events.
/// </summary>
public static class AuditEventSubjects
{
    public const string NodeEventNamespace = "default";

    public static IReadOnlyList<AuditEventSubject> Of(AuditEntry entry, string dashboardNamespace)
    {
        switch (AuditAction.Find(entry.Action)?.Kind)
        {
            case AuditActionKind.Flux: return FluxSubject(entry) is { } flux ? [flux] : [];
            case AuditActionKind.Run: break;
            default: return [];   // authorization and rate-limit refusals, and names this version does not write
        }
        // Run targets are written by the engine as "<workflow id>[ <node>,<node>…]" with node names from the live list.
        var parts = entry.Target.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        var nodes = parts.Length == 2
            ? parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries).Where(InputValidator.IsValidNodeName).Distinct(StringComparer.Ordinal).ToList()
            : [];
        if (nodes.Count > 0) return nodes.Select(n => new AuditEventSubject("v1", "Node", null, n, NodeEventNamespace)).ToList();
        return InputValidator.IsValidNodeName(dashboardNamespace) ? [new AuditEventSubject("v1", "Namespace", null, dashboardNamespace, dashboardNamespace)] : [];
    }

    private static AuditEventSubject? FluxSubject(AuditEntry entry)
    {
        try
        {
            using var doc = JsonDocument.Parse(entry.Parameters);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            var kind = Str(root, "kind");
            var ns = Str(root, "namespace");
            var name = Str(root, "name");
            if (kind is null || ns is null || name is null || FluxKinds.Find(kind) is not { } api) return null;
            if (!InputValidator.IsValidNodeName(ns) || !InputValidator.IsValidNodeName(name)) return null;
            return new AuditEventSubject($"{api.Group}/{api.Version}", kind, ns, name, ns);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
