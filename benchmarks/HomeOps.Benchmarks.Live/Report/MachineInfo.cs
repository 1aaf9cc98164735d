using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HomeOps.Benchmarks.Live.Report;

/// <summary>The machine a result was measured on.</summary>
public sealed record MachineInfo(string Cpu, int Cores, double RamGiB, string Os, string DotNet, string Chromium, string Date)
{
    public static MachineInfo Describe(string chromium) => new(
        CpuModel(),
        Environment.ProcessorCount,
        Math.Round(RamBytes() / 1024.0 / 1024 / 1024, 1),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        chromium,
        DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'"));

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
                ?.Split(':', 2)[1].Trim() ?? "unknown";
        }
        catch (IOException) { return "unknown"; }
    }

    private static long RamBytes()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (IOException) { return 0; }
    }

    public override string ToString() => $"{Cpu}, {Cores} cores, {RamGiB} GiB RAM, {Os}, {DotNet}, Chromium {Chromium}, {Date}";
}
