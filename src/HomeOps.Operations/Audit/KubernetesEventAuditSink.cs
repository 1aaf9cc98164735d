using System.Globalization;
using System.Threading.Channels;
using HomeOps.Operations.ApiCalls;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HomeOps.Operations.Audit;

/// <summary>
/// Audit entries as Kubernetes Events on their target objects (<c>kubectl describe node mini02</c> shows who reset it),
/// in cluster modes and against a simulator. Events are written in the background from a bounded queue: a slow or
/// unreachable API server never delays or fails the action, and a failed write is logged (the database record is the
/// one of record). The message holds who, what, on what and how it ended — never the parameters, the typed
/// confirmation or anything from a secret.
/// </summary>
public sealed class KubernetesEventAuditSink : IAuditSink, IAsyncDisposable
{
    public const string Reason = "HomeOpsAction";
    public const string Component = "homeops-dashboard";
    private const int MaxMessage = 1024;
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(10);

    private readonly Func<IKubernetes?> _client;
    private readonly string _dashboardNamespace;
    private readonly string _instance;
    private readonly ILogger _log;
    private readonly Channel<(Corev1Event Event, long EntryId)> _queue =
        Channel.CreateBounded<(Corev1Event, long)>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _writer;

    /// <param name="client">Resolved on first use, so a host without a Kubernetes client simply writes no Events.</param>
    public KubernetesEventAuditSink(Func<IKubernetes?> client, string dashboardNamespace, string instance, ILogger<KubernetesEventAuditSink>? log = null)
    {
        _client = client;
        _dashboardNamespace = dashboardNamespace;
        _instance = instance;
        _log = log ?? NullLogger<KubernetesEventAuditSink>.Instance;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Events written and failed so far (for tests and diagnostics).</summary>
    public int Written => _written;

    public int Failed => _failed;

    private int _written;
    private int _failed;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _forbidden = new(StringComparer.Ordinal);

    /// <summary>Namespaces where the API refused an Event with 403 (no RoleBinding there).</summary>
    public IReadOnlyCollection<string> ForbiddenNamespaces => [.. _forbidden.Keys];

    public Task WriteAsync(AuditEntry entry, CancellationToken ct)
    {
        foreach (var subject in AuditEventSubjects.Of(entry, _dashboardNamespace))
            _queue.Writer.TryWrite((Build(entry, subject, _instance), entry.Id));
        return Task.CompletedTask;
    }

    /// <summary>The Event for one entry on one object (pure; public for tests).</summary>
    public static Corev1Event Build(AuditEntry entry, AuditEventSubject subject, string instance)
    {
        var at = (entry.EndedAt ?? entry.At).UtcDateTime;
        var warning = entry.Outcome is AuditOutcome.Refused or AuditOutcome.Failed or AuditOutcome.Interrupted;
        return new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta
            {
                // kubectl's convention: <object>.<unique suffix>; one Event per entry state (recorded, then completed).
                Name = $"{subject.Name}.homeops-{entry.Id.ToString(CultureInfo.InvariantCulture)}-{entry.Outcome.ToString().ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..8]}",
                NamespaceProperty = subject.EventNamespace,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = Component },
                Annotations = new Dictionary<string, string> { ["homeops.dashboard/audit-id"] = entry.Id.ToString(CultureInfo.InvariantCulture) },
            },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = subject.ApiVersion,
                Kind = subject.Kind,
                Name = subject.Name,
                NamespaceProperty = subject.Namespace,
            },
            Reason = Reason,
            Action = entry.Action,
            Message = Message(entry),
            Type = warning ? "Warning" : "Normal",
            Source = new V1EventSource { Component = Component },
            ReportingComponent = "homeops.dashboard/operations",
            ReportingInstance = instance.Length > 128 ? instance[..128] : instance,
            FirstTimestamp = at,
            LastTimestamp = at,
            Count = 1,
        };
    }

    /// <summary>"admin run.start cluster:safe-reset mini02: Succeeded (exit 0) — …" — who, what, on what, how it ended.</summary>
    public static string Message(AuditEntry entry)
    {
        var text = $"{entry.User} {entry.Action} {entry.Target}: {entry.Outcome}"
                   + (entry.ExitCode is { } code ? $" (exit {code.ToString(CultureInfo.InvariantCulture)})" : "")
                   + (entry.RunId is { } run ? $" [run {run}]" : "")
                   + (string.IsNullOrWhiteSpace(entry.Message) ? "" : $" — {entry.Message}");
        text = text.ReplaceLineEndings(" ");
        return text.Length > MaxMessage ? text[..MaxMessage] + "…" : text;
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var (ev, entryId) in _queue.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                IKubernetes? client;
                try { client = _client(); }
                catch (Exception ex)
                {
                    _log.LogWarning("No Kubernetes client for audit Events ({Error}); entry {Id} stays in the database only", ex.GetType().Name + ": " + ex.Message, entryId);
                    Interlocked.Increment(ref _failed);
                    continue;
                }
                if (client is null) continue;
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(WriteTimeout);
                try
                {
                    await client.CoreV1.CreateNamespacedEventAsync(ev, ev.Metadata.NamespaceProperty, cancellationToken: timeout.Token).ConfigureAwait(false);
                    Interlocked.Increment(ref _written);
                }
                catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.Forbidden && !_stop.IsCancellationRequested)
                {
                    // RBAC grants Events create per namespace (k8s/rbac-audit-events.yaml): a Flux object in a namespace not
                    // listed there is still acted on; its Event is refused. Say once per namespace what to add, then quietly.
                    Interlocked.Increment(ref _failed);
                    var ns = ev.Metadata.NamespaceProperty;
                    if (_forbidden.TryAdd(ns, 0))
                        _log.LogWarning("The service account may not create Events in namespace {Namespace}: audit entry {Id} on {Kind} {Name} stays in the database only. Add the namespace to k8s/rbac-audit-events.yaml",
                            ns, entryId, ev.InvolvedObject.Kind, ev.InvolvedObject.Name);
                    else
                        _log.LogDebug("Audit Event for entry {Id} refused in namespace {Namespace} (no RoleBinding)", entryId, ns);
                }
                catch (Exception ex) when (!_stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _failed);
                    _log.LogWarning("Could not write the audit Event for entry {Id} on {Kind} {Name}: {Error}", entryId, ev.InvolvedObject.Kind, ev.InvolvedObject.Name,
                        KubernetesApiFailure.Describe(ex, CancellationToken.None));
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        // Give queued Events a moment to go out on a clean shutdown; then stop.
        try { await _writer.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false); }
        catch (TimeoutException) { }
        await _stop.CancelAsync().ConfigureAwait(false);
        try { await _writer.ConfigureAwait(false); } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
