using HomeOps.Cli.Output;
using HomeOps.Cli.Sources;

namespace HomeOps.Cli;

/// <summary>
/// <c>homeops status</c>: read objects from one source, decode them with the dashboard's health rules, print them.
/// Exit code 0 when every object is Healthy or Suspended, 1 otherwise, 2 on bad input.
/// </summary>
public static class StatusCommand
{
    public const int Ok = 0;
    public const int NotOk = 1;
    public const int BadInput = 2;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        CliArguments options;
        try
        {
            options = CliArguments.Parse(args);
        }
        catch (BadInputException e)
        {
            await stderr.WriteLineAsync($"homeops: {e.Message}");
            await stderr.WriteLineAsync();
            await stderr.WriteLineAsync(CliArguments.Usage);
            return BadInput;
        }
        if (options.Help)
        {
            await stdout.WriteLineAsync(CliArguments.Usage);
            return Ok;
        }

        SourceResult result;
        try
        {
            var now = DateTimeOffset.UtcNow;
            if (options.From is { } dir) result = DirectorySource.Read(dir, now, stderr);
            else if (options.Simulator) result = await SimulatorSource.ReadAsync(now, stderr, ct);
            else if ((options.Kubeconfig ?? DefaultKubeconfig()) is { } kubeconfig)
                result = await KubernetesSource.ReadAsync(kubeconfig, options.Context, now, stderr, ct);
            else
            {
                await stderr.WriteLineAsync("homeops: no source: pass --from DIR, --kubeconfig PATH or --simulator (no $KUBECONFIG or ~/.kube/config found)");
                await stderr.WriteLineAsync();
                await stderr.WriteLineAsync(CliArguments.Usage);
                return BadInput;
            }
        }
        catch (BadInputException e)
        {
            await stderr.WriteLineAsync($"homeops: {e.Message}");
            return BadInput;
        }

        var rows = StatusRow.From(result.Snapshots);
        if (options.Output == OutputFormat.Json) JsonOutputWriter.Write(rows, stdout);
        else TableWriter.Write(rows, stdout);
        await stdout.FlushAsync(ct);
        return !result.Incomplete && rows.All(r => r.Snapshot.Verdict.IsOk) ? Ok : NotOk;
    }

    /// <summary>The first existing file of <c>$KUBECONFIG</c> (a path list), else <c>~/.kube/config</c> when present.</summary>
    private static string? DefaultKubeconfig()
    {
        var env = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(env))
            foreach (var path in env.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                if (File.Exists(path)) return path;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var fallback = Path.Combine(home, ".kube", "config");
        return home.Length > 0 && File.Exists(fallback) ? fallback : null;
    }
}
