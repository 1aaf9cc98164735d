using System.ComponentModel;
using System.Diagnostics;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Talos;

namespace HomeOps.Cli.Sources;

/// <summary>
/// <c>homeops status --talosconfig PATH</c>: one poll of the Talos feed (the dashboard's <see cref="TalosPoll"/> and
/// verdicts) for the nodes that were read, with talosctl started as a process (TALOSCONFIG set, arguments as a vector,
/// killed after the timeout).
/// </summary>
public static class TalosSource
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public static Task<TalosReport> ReadAsync(string talosconfig, string talosctl, IEnumerable<ResourceSnapshot> snapshots, DateTimeOffset now, TimeSpan timeout, CancellationToken ct)
    {
        var targets = snapshots.Where(s => s.Kind.Key == Kinds.Node.Key)
            .OrderBy(s => s.Meta.Name, StringComparer.Ordinal)
            .Select(s => s.Details is NodeDetails { InternalIPv4: { } ip } d ? new TalosTarget(ip, s.Meta.Name, d.ReadyStatus, d.KernelVersion) : null)
            .OfType<TalosTarget>()
            .ToList();
        return TalosPoll.RunAsync(new ProcessTalosctl(talosctl, Path.GetFullPath(talosconfig)), targets, TalosReport.Connecting(now), TimeProvider.System, timeout, ct);
    }

    /// <summary>The line the CLI prints when Talos is not asked.</summary>
    public const string NotAsked = "etcd: unknown — not read from Talos (pass --talosconfig PATH; quorum is not judged from Node Ready)";

    private sealed class ProcessTalosctl(string executable, string talosconfig) : ITalosctl
    {
        public async Task<TalosctlResult> RunAsync(IReadOnlyList<string> args, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var info = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (var a in args) info.ArgumentList.Add(a);
            info.Environment["TALOSCONFIG"] = talosconfig;
            using var process = new Process { StartInfo = info };
            try
            {
                process.Start();
            }
            catch (Win32Exception e)
            {
                return new TalosctlResult("", "", null, $"talosctl could not run ({executable}: {e.Message})");
            }
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return new TalosctlResult("", "", null, $"talosctl {string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')))} did not answer within {timeout.TotalSeconds:0} s");
            }
            return new TalosctlResult(await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), process.ExitCode);
        }
    }
}
