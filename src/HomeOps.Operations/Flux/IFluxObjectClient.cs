namespace HomeOps.Operations.Flux;

/// <summary>What a Flux action needs to know about its target, read fresh from the API (not from the watch cache).</summary>
public sealed record FluxObjectState(bool Suspended, FluxObjectRef? Source);

/// <summary>The Kubernetes API boundary of Flux actions: read one object, merge-patch one object.</summary>
public interface IFluxObjectClient
{
    /// <summary>The object's suspend flag and the source a <c>--with-source</c> reconcile would touch; null when it does not exist.</summary>
    Task<FluxObjectState?> GetAsync(FluxObjectRef target, CancellationToken ct);

    Task PatchAsync(FluxObjectRef target, string mergePatchJson, CancellationToken ct);
}
