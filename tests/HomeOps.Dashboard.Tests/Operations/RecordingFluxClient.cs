using System.Collections.Concurrent;
using HomeOps.Operations.Flux;

namespace HomeOps.Dashboard.Tests.Operations;

/// <summary>Flux objects in memory: what the Flux menu's actions patched, in order.</summary>
public sealed class RecordingFluxClient : IFluxObjectClient
{
    public ConcurrentQueue<(FluxObjectRef Target, string Patch)> Patches { get; } = new();

    public HashSet<string> Suspended { get; } = [];

    /// <summary>Thrown by every patch when set: the API refusing (403) or unreachable.</summary>
    public Exception? PatchFailure { get; set; }

    public Task<FluxObjectState?> GetAsync(FluxObjectRef target, CancellationToken ct) =>
        Task.FromResult<FluxObjectState?>(new FluxObjectState(Suspended.Contains(target.Name), new FluxObjectRef("GitRepository", "flux-system", "flux-system")));

    public Task PatchAsync(FluxObjectRef target, string mergePatch, CancellationToken ct)
    {
        if (PatchFailure is { } failure) return Task.FromException(failure);
        Patches.Enqueue((target, mergePatch));
        return Task.CompletedTask;
    }
}
