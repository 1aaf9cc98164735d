namespace HomeOps.Simulator.Store;

/// <summary>Where an object lives in the store: namespace (empty for cluster-scoped kinds) and name.</summary>
internal readonly record struct ObjectKey(string Namespace, string Name) : IComparable<ObjectKey>
{
    // etcd orders keys as /registry/<resource>/<namespace>/<name>; lists come back in that order.
    public int CompareTo(ObjectKey other)
    {
        var byNamespace = string.CompareOrdinal(Namespace, other.Namespace);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(Name, other.Name);
    }

    public override string ToString() => Namespace.Length == 0 ? Name : $"{Namespace}/{Name}";
}
