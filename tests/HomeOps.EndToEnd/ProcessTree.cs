using System.Diagnostics;

namespace HomeOps.EndToEnd;

/// <summary>
/// A process and every process it started, found by a marker in the environment they inherit — children that were
/// re-parented (a step's detached helper) included — and killed for real with SIGKILL, all at once.
/// </summary>
public static class ProcessTree
{
    public const string MarkerVariable = "HOMEOPS_E2E_TREE";

    /// <summary>Live processes whose environment carries <see cref="MarkerVariable"/>=<paramref name="marker"/>.</summary>
    public static IReadOnlyList<int> Marked(string marker)
    {
        var needle = $"{MarkerVariable}={marker}";
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                var environ = File.ReadAllText(Path.Combine(dir, "environ"));
                if (environ.Split('\0').Contains(needle, StringComparer.Ordinal) && !IsGone(pid)) pids.Add(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return pids;
    }

    /// <summary>SIGKILL to every pid in one kill(1) call: nothing gets to clean up, as when a node loses power or the OOM killer strikes.</summary>
    public static async Task KillAsync(IReadOnlyList<int> pids)
    {
        if (pids.Count == 0) return;
        var psi = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true };
        psi.ArgumentList.Add("-KILL");
        foreach (var pid in pids) psi.ArgumentList.Add(pid.ToString());
        using var kill = Process.Start(psi)!;
        await kill.WaitForExitAsync();
    }

    /// <summary>Gone, or a zombie waiting to be reaped (dead either way).</summary>
    public static bool IsGone(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            var close = text.LastIndexOf(')');
            return close > 0 && close + 2 < text.Length && text[close + 2] is 'Z' or 'X';
        }
        catch (IOException) { return true; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
