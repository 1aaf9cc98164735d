using System.Diagnostics;

namespace HomeOps.Benchmarks.Live.Harness;

/// <summary>
/// Keeps the browsers off the server's core (docs/benchmarks.md, "Server apart from the browsers"): the dashboard
/// process runs on CPU 0 alone; Chromium (every renderer), this process (the simulator, the identity provider, the
/// hub floor client) run on the other CPUs. <c>taskset</c> with <c>-a</c> pins every thread of a running process;
/// threads and children started later inherit it. Off with <c>HOMEOPS_BENCH_PIN=0</c> or on a one-CPU machine.
/// </summary>
public static class CpuPinning
{
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("HOMEOPS_BENCH_PIN") != "0"
        && Environment.ProcessorCount >= 2 && File.Exists("/usr/bin/taskset");

    public const string ServerCpus = "0";

    public static string ClientCpus => Environment.ProcessorCount == 2 ? "1" : $"1-{Environment.ProcessorCount - 1}";

    public static string Describe => Enabled
        ? $"dashboard pinned to CPU {ServerCpus}; Chromium, simulator, identity provider and hub floor client to CPU {ClientCpus} (taskset)"
        : "not pinned (one CPU, no taskset, or HOMEOPS_BENCH_PIN=0): everything shares every core";

    /// <summary>Pins this process (and so whatever it starts later) to the client CPUs.</summary>
    public static void PinSelfToClientCpus()
    {
        if (Enabled) Pin(Environment.ProcessId, ClientCpus);
    }

    public static void PinServer(int processId)
    {
        if (Enabled) Pin(processId, ServerCpus);
    }

    /// <summary>Chromium started through <c>taskset</c>, so its browser, zygote and every renderer stay on the client CPUs.</summary>
    public static string ChromiumExecutable(string chromium)
    {
        if (!Enabled || OperatingSystem.IsWindows()) return chromium;
        var wrapper = Path.Combine(Path.GetTempPath(), $"homeops-bench-chromium-{Environment.ProcessId}.sh");
        File.WriteAllText(wrapper, $"#!/bin/sh\nexec /usr/bin/taskset -c {ClientCpus} '{chromium}' \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return wrapper;
    }

    private static void Pin(int processId, string cpus)
    {
        using var p = Process.Start(new ProcessStartInfo("/usr/bin/taskset", ["-a", "-p", "-c", cpus, processId.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"taskset -a -p -c {cpus} {processId} failed: {p.StandardError.ReadToEnd()}");
    }
}

/// <summary>The 1-minute load average (<c>/proc/loadavg</c>): how busy the shared machine was around a measurement.</summary>
public static class LoadAverage
{
    public static double OneMinute() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
}
