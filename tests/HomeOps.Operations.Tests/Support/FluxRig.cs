using HomeOps.Operations.Audit;
using HomeOps.Operations.Flux;
using HomeOps.Operations.Persistence;
using k8s;

namespace HomeOps.Operations.Tests.Support;

/// <summary>
/// Flux actions wired as in the app — the real KubernetesClient against an API on loopback (a <see cref="LoopbackApi"/>,
/// or a closed port), audited into a fresh SQLite database — on a fixed clock.
/// </summary>
public sealed class FluxRig : IAsyncDisposable
{
    private readonly TempDir _dir = new();
    private readonly Kubernetes _client;

    public FluxRig(string apiBase, DateTimeOffset now)
    {
        Now = now;
        _client = new Kubernetes(new KubernetesClientConfiguration { Host = apiBase.TrimEnd('/') });
        var db = new OperationsDatabase(new DatabaseOptions(), new OperationsOptions { DataDirectory = _dir.Path });
        db.EnsureCreatedAsync().GetAwaiter().GetResult();
        Audit = new EfAuditLog(db);
        Actions = new FluxActions(new KubernetesFluxObjectClient(_client), Audit, new FixedTime(now));
    }

    public DateTimeOffset Now { get; }
    public EfAuditLog Audit { get; }
    public FluxActions Actions { get; }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
