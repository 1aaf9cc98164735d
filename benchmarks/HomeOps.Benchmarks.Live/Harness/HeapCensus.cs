using System.Diagnostics;

namespace HomeOps.Benchmarks.Live.Harness;

/// <summary>
/// What a circuit holds, by type: with <c>HOMEOPS_BENCH_GCDUMP=&lt;dir&gt;</c> the memory item writes a gcdump of the
/// dashboard before and after each page's circuits (<c>&lt;page&gt;-0.gcdump</c>, <c>&lt;page&gt;-&lt;n&gt;.gcdump</c>), and
/// runs the per-page step even with <c>--smoke</c> (3 circuits). Compare with
/// <c>dotnet-gcdump report &lt;file&gt;</c>. Needs the <c>dotnet-gcdump</c> tool on PATH (or in ~/.dotnet/tools).
/// Off by default: a gcdump walks the whole heap and is not part of any figure.
/// </summary>
public static class HeapCensus
{
    public static string? Directory => Environment.GetEnvironmentVariable("HOMEOPS_BENCH_GCDUMP") is { Length: > 0 } d ? d : null;

    public static async Task CollectAsync(BenchContext ctx, int processId, string name)
    {
        if (Directory is not { } dir) return;
        System.IO.Directory.CreateDirectory(dir);
        var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-gcdump");
        var psi = new ProcessStartInfo(File.Exists(tool) ? tool : "dotnet-gcdump")
        {
            ArgumentList = { "collect", "-p", processId.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", Path.Combine(dir, name + ".gcdump") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("dotnet-gcdump did not start");
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        ctx.Log.WriteLine($"gcdump {name}: exit {process.ExitCode} {output.Trim().Split('\n').LastOrDefault()}");
    }
}
