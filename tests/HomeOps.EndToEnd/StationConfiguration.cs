namespace HomeOps.EndToEnd;

/// <summary>
/// The operator station's configuration as docs/station.md gives it, shared by the station tests whether the dashboard
/// runs in-process (<see cref="StationOutageTests"/>) or as a real process (<see cref="StationBreakGlassProcessTests"/>):
/// Kubeconfig mode against the cluster (set by the harness that points it at the simulator), not in the cluster, the
/// strict stand-in tools, data in a local directory.
/// </summary>
public static class StationConfiguration
{
    public static Dictionary<string, string?> Settings(string dataDirectory)
    {
        var settings = StrictStandIns.Settings(dataDirectory);
        settings["Cluster:Mode"] = "Kubeconfig";
        settings["Operations:RunsInCluster"] = "false";
        return settings;
    }

    /// <summary>Settings in their environment-variable form (<c>Foo:Bar</c> → <c>Foo__Bar</c>), as a process or compose gets them.</summary>
    public static Dictionary<string, string> AsEnvironment(IEnumerable<KeyValuePair<string, string?>> settings) =>
        settings.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!);
}
