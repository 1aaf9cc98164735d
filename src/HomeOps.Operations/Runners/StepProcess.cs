using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace HomeOps.Operations.Runners;

/// <summary>
/// Who a step's process is, so that a later engine can tell whether exactly that process still runs: its pid, its start
/// time (Linux: field 22 of <c>/proc/&lt;pid&gt;/stat</c>, clock ticks since boot — a reused pid has another one) and the
/// host whose process table it is in (<see cref="ProcessIdentity.CurrentHost"/>). Without a start time or on another
/// host nothing can be concluded about the pid.
/// </summary>
public sealed record StepProcess(int Pid, long? StartTicks, string? Host);

/// <summary>What a recorded <see cref="StepProcess"/> is now, as far as this host can tell.</summary>
public enum StepProcessState
{
    /// <summary>The same pid with the same start time exists and is not a zombie.</summary>
    Alive,
    /// <summary>No such process (or only its zombie, or the pid now belongs to a process that started at another time).</summary>
    Gone,
    /// <summary>Cannot be checked here: no /proc (not Linux), no start time recorded, or it ran on another host or pid namespace.</summary>
    Unknown,
}

/// <summary>Reads and checks process identities through Linux's /proc; everywhere else every answer is "unknown".</summary>
public static class ProcessIdentity
{
    /// <summary>
    /// This process table: the kernel boot id and the pid namespace. Two engines see the same pids only when both match
    /// (same boot of the same machine, same container pid namespace). Null without /proc.
    /// </summary>
    public static string? CurrentHost { get; } = ReadHost();

    /// <summary>The identity of <paramref name="pid"/> as seen now (start time null when it cannot be read).</summary>
    public static StepProcess Capture(int pid) => new(pid, ReadStartTicks(pid), CurrentHost);

    public static StepProcessState Check(StepProcess process)
    {
        if (CurrentHost is null || process.StartTicks is null || process.Host != CurrentHost) return StepProcessState.Unknown;
        return ReadStartTicks(process.Pid) == process.StartTicks ? StepProcessState.Alive : StepProcessState.Gone;
    }

    /// <summary>
    /// Kills the process and its descendants if it is still the recorded process (checked again right before the
    /// signal, so a pid reused in between is left alone). True when a kill was sent.
    /// </summary>
    public static bool KillTree(StepProcess process)
    {
        if (Check(process) != StepProcessState.Alive) return false;
        try
        {
            using var p = Process.GetProcessById(process.Pid);
            p.Kill(entireProcessTree: true);
            return true;
        }
        catch (ArgumentException) { return false; }          // gone between the check and the kill
        catch (InvalidOperationException) { return false; }  // exited
        catch (Win32Exception) { return false; }            // not ours to kill (EPERM) or raced with exit
    }

    /// <summary>
    /// Field 22 (starttime) of /proc/PID/stat; null when the process does not exist, is a zombie (dead, waiting to be
    /// reaped) or /proc cannot be read. The command name (field 2) is in parentheses and may itself contain spaces and
    /// parentheses, so fields are counted from the last ')'.
    /// </summary>
    public static long? ReadStartTicks(int pid)
    {
        if (pid <= 0) return null;
        string text;
        try { text = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
        var close = text.LastIndexOf(')');
        if (close < 0) return null;
        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state), so field 22 is fields[19].
        if (fields.Length < 20 || fields[0] is "Z" or "X" or "x") return null;
        return long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
    }

    private static string? ReadHost()
    {
        try
        {
            if (!File.Exists("/proc/self/stat")) return null;
            var boot = File.Exists("/proc/sys/kernel/random/boot_id") ? File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim() : "";
            var pidNamespace = new FileInfo("/proc/self/ns/pid").LinkTarget ?? "";
            return boot.Length == 0 && pidNamespace.Length == 0 ? null : $"boot={boot} pidns={pidNamespace}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }
}
