using HomeOps.Cluster.State;

namespace HomeOps.Operations.Gates;

/// <summary>Where gates and the pre-flight read the live health model, and how they learn it changed.</summary>
public interface IClusterStateSource
{
    ClusterState Current { get; }

    /// <summary>Calls <paramref name="onChanged"/> (briefly, on the dispatching thread) after every change.</summary>
    IDisposable OnChanged(Action onChanged);
}

/// <summary>The process-wide <see cref="ClusterStore"/> as a state source.</summary>
public sealed class ClusterStoreStateSource(ClusterStore store) : IClusterStateSource
{
    public ClusterState Current => store.Value;

    public IDisposable OnChanged(Action onChanged) => store.Subscribe(_ => onChanged());
}
