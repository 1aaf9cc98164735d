using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources;
using HomeOps.Cluster.State;
using HomeOps.Dashboard.Auth;
using HomeOps.Operations.Audit;
using HomeOps.Operations.Runners;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Services;

/// <summary>
/// The one way to container logs, for the page and the API alike: the caller must be an operator (checked here, on
/// the server, whatever the UI showed), the pod must be one the dashboard watches and the container one of its own,
/// and every line has the known secret values masked (<see cref="SecretMasker"/>, as for step output) before it
/// leaves the server. Viewers never see a line.
/// <para>
/// Every read is audited (<c>pod.log</c>: who, when, which pod and container, tail or follow and how many lines;
/// never a line of the log), and so is a refused attempt (<see cref="AuditOutcome.Refused"/>), as every other refusal
/// is. A read the API server could not serve is recorded as <see cref="AuditOutcome.Failed"/> with its reason.
/// </para>
/// </summary>
public sealed class PodLogAccess(ClusterStore store, PodLogReader reader, SecretMasker secrets, IOptions<AuthOptions> auth,
    TimeProvider time, ILogger<PodLogAccess> log, IAuditLog? audit = null)
{
    public const string OperatorsOnly = "Only operators may read container logs: logs can carry secrets.";

    public PodLogOptions Options => reader.Options;

    /// <summary>Why <paramref name="user"/> may not read logs, or null when they may.</summary>
    public string? Refusal(ClaimsPrincipal user) => Policies.IsOperator(user, auth.Value) ? null : OperatorsOnly;

    /// <summary>The pod as the dashboard knows it, and the container to read (the only one when none is named).</summary>
    public (ResourceSnapshot Pod, string Container) Resolve(string ns, string pod, string? container)
    {
        var found = store.Value.Items(Kinds.Pod).FirstOrDefault(p => p.Meta.Namespace == ns && p.Meta.Name == pod)
                    ?? throw new PodLogException(HttpStatusCode.NotFound, $"pod {ns}/{pod} is not one the dashboard watches");
        var names = found.Details is PodDetails d ? d.ContainerNames.ToList() : [];
        if (string.IsNullOrEmpty(container))
        {
            if (names.Count != 1)
                throw new PodLogException(HttpStatusCode.BadRequest, $"pod {ns}/{pod} has {names.Count} containers: name one of {string.Join(", ", names)}");
            return (found, names[0]);
        }
        if (!names.Contains(container, StringComparer.Ordinal))
            throw new PodLogException(HttpStatusCode.BadRequest, $"pod {ns}/{pod} has no container '{container}'");
        return (found, container);
    }

    public async Task<IReadOnlyList<string>> TailAsync(ClaimsPrincipal user, string ns, string pod, string? container, int? tailLines, CancellationToken ct)
    {
        await AdmitAsync(user, ns, pod, container, "tail", tailLines, ct);
        var (_, name) = Resolve(ns, pod, container);
        IReadOnlyList<string> lines;
        try
        {
            lines = [.. await reader.TailAsync(ns, pod, name, tailLines, ct)];
        }
        catch (PodLogException e)
        {
            await AuditAsync(user, ns, pod, name, "tail", tailLines, AuditOutcome.Failed, e.Message, ct);
            throw;
        }
        await AuditAsync(user, ns, pod, name, "tail", tailLines, AuditOutcome.Succeeded, $"{lines.Count} lines read", ct);
        return [.. lines.Select(secrets.Apply)];
    }

    public async IAsyncEnumerable<string> FollowAsync(ClaimsPrincipal user, string ns, string pod, string? container, int? tailLines,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await AdmitAsync(user, ns, pod, container, "follow", tailLines, ct);
        var (_, name) = Resolve(ns, pod, container);
        // Recorded when the follow starts (it may last as long as the page stays open).
        await AuditAsync(user, ns, pod, name, "follow", tailLines, AuditOutcome.Succeeded, "follow started", ct);
        await foreach (var line in reader.FollowAsync(ns, pod, name, tailLines, ct)) yield return secrets.Apply(line);
    }

    private async Task AdmitAsync(ClaimsPrincipal user, string ns, string pod, string? container, string mode, int? tailLines, CancellationToken ct)
    {
        if (Refusal(user) is not { } refusal) return;
        await AuditAsync(user, ns, pod, container, mode, tailLines, AuditOutcome.Refused, refusal, ct);
        throw new PodLogException(HttpStatusCode.Forbidden, refusal);
    }

    /// <summary>One audit entry for a read or an attempt; a failed audit write is logged and never blocks or reveals the log.</summary>
    private async Task AuditAsync(ClaimsPrincipal user, string ns, string pod, string? container, string mode, int? tailLines,
        AuditOutcome outcome, string message, CancellationToken ct)
    {
        if (audit is null) return;
        try
        {
            var actor = ActorFactory.From(user, auth.Value);
            var now = time.GetUtcNow();
            await audit.RecordAsync(new AuditEntry
            {
                At = now,
                User = actor.User,
                Groups = string.Join(",", actor.Groups),
                Action = AuditAction.PodLogRead.Name,
                Target = $"Pod {ns}/{pod}",
                Parameters = System.Text.Json.JsonSerializer.Serialize(new { @namespace = ns, pod, container, mode, tailLines }),
                StartedAt = now,
                EndedAt = now,
                Outcome = outcome,
                Message = message,
            }, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogError(ex, "Could not audit a log read of pod {Namespace}/{Pod}", ns, pod);
        }
    }
}

/// <summary>The lines a follow keeps: at most <see cref="Capacity"/>, the oldest dropped first (a chatty pod cannot grow a circuit).</summary>
public sealed class LogBuffer(int capacity)
{
    private readonly Queue<string> _lines = new();

    public int Capacity { get; } = Math.Max(1, capacity);

    /// <summary>Lines dropped to stay within <see cref="Capacity"/>.</summary>
    public long Dropped { get; private set; }

    public int Count => _lines.Count;

    public IReadOnlyCollection<string> Lines => _lines;

    public void Add(string line)
    {
        _lines.Enqueue(line);
        while (_lines.Count > Capacity)
        {
            _lines.Dequeue();
            Dropped++;
        }
    }

    public void Clear()
    {
        _lines.Clear();
        Dropped = 0;
    }
}
