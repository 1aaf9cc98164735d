using HomeOps.Cluster.Talos;

namespace HomeOps.Cli.Output;

/// <summary>
/// The table's Talos section: the etcd line (<see cref="TalosReport.EtcdLine"/>, the same text as the overview tile)
/// and one line per node with Talos's verdict — stage, version, apid reachability, unhealthy services.
/// </summary>
public static class TalosLines
{
    public static void Write(TalosReport? talos, DateTimeOffset now, TextWriter output)
    {
        output.WriteLine();
        if (talos is null)
        {
            output.WriteLine(Sources.TalosSource.NotAsked);
            return;
        }
        output.WriteLine(Terminal.Clean(talos.EtcdLine(now), 400));
        foreach (var n in talos.Nodes)
            output.WriteLine(Terminal.Clean($"talos {n.Name ?? n.Ip} ({n.Ip}): {n.Verdict.Health} — {n.Verdict.Message}", 400));
        if (!talos.IsLive && talos.Nodes.IsEmpty)
            output.WriteLine(Terminal.Clean($"talos: {talos.Verdict.Message}", 400));
    }
}
