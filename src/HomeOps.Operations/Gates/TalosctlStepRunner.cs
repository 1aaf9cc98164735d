using System.Text;
using HomeOps.Cluster.Talos;
using HomeOps.Operations.Runners;

namespace HomeOps.Operations.Gates;

/// <summary>
/// <c>talosctl …</c> run in the home-ops checkout with its talosconfig (<c>talos/generated/talosconfig</c>, the one the
/// workflows use), through the workflows' local step runner — the simulator's stand-in in simulator mode. Killed after
/// the timeout. Feeds the Talos feed (<see cref="TalosFeed"/>) and the etcd-healthy gate.
/// </summary>
public sealed class TalosctlStepRunner(Func<IStepRunner?> runner, OperationsOptions options) : ITalosctl
{
    public const string TalosconfigPath = "talos/generated/talosconfig";

    public string? Unavailable =>
        string.IsNullOrWhiteSpace(options.HomeOpsCheckout) || !Directory.Exists(options.HomeOpsCheckout)
            ? "Operations:HomeOpsCheckout is not configured: talosctl needs its talosconfig"
            : null;

    public async Task<TalosctlResult> RunAsync(IReadOnlyList<string> args, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (runner() is not { } r) return new("", "", null, "no local runner to run talosctl");
        if (Unavailable is { } why || options.HomeOpsCheckout is not { } checkout) return new("", "", null, Unavailable ?? "no home-ops checkout");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var env = new Dictionary<string, string?>(StringComparer.Ordinal) { ["TALOSCONFIG"] = TalosconfigPath };
        var result = await r.RunAsync(new StepCommand(["talosctl", .. args], env, Path.GetFullPath(checkout), null),
            line => { lock (stdout) (line.Stream == OutputStream.Stdout ? stdout : stderr).AppendLine(line.Text); }, cts.Token).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        lock (stdout)
        {
            var failure = result.Killed ? $"talosctl {string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')))} did not answer within {timeout.TotalSeconds:0} s"
                : result.Error is { } error ? $"talosctl could not run: {error}" : null;
            return new(stdout.ToString(), stderr.ToString(), result.ExitCode, failure);
        }
    }
}
