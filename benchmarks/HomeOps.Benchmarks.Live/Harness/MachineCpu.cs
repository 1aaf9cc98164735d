namespace HomeOps.Benchmarks.Live.Harness;

/// <summary>Whole-machine CPU use from /proc/stat: how busy all cores were between two readings, in percent.</summary>
public static class MachineCpu
{
    public readonly record struct Reading(long Busy, long Total);

    public static Reading Busy()
    {
        var parts = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var idle = parts[3] + (parts.Length > 4 ? parts[4] : 0);   // idle + iowait
        var total = parts.Sum();
        return new Reading(total - idle, total);
    }

    public static double PercentSince(Reading before)
    {
        var now = Busy();
        var total = now.Total - before.Total;
        return total <= 0 ? double.NaN : (now.Busy - before.Busy) * 100.0 / total;
    }
}
