using HomeOps.Cli.Output;
using HomeOps.Cli.Sources;
using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Reports;
using Microsoft.Extensions.Configuration;

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
        if (options.Since is { } since)
            return await TimelineCommand.RunAsync(since, options.DataDirectory, options.Output, stdout, stderr, ct);

        SourceResult result;
        var now = DateTimeOffset.UtcNow;
        try
        {
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
            if (options.AuthentikUrl is { } authentikUrl)
                result = result.Plus(await AuthentikSource.ReadAsync(authentikUrl, options.AuthentikTokenFile!, options.AuthentikCaBundle, now, stderr, ct));
        }
        catch (BadInputException e)
        {
            await stderr.WriteLineAsync($"homeops: {e.Message}");
            return BadInput;
        }

        // Backups as a verdict: the dashboard's rule over what was read (thresholds from Cluster__Backups__* like the dashboard).
        try
        {
            result = result.WithBackupPolicy(now, BackupSettings());
        }
        catch (BadInputException e)
        {
            await stderr.WriteLineAsync($"homeops: {e.Message}");
            return BadInput;
        }
        var rows = StatusRow.From(result.Snapshots);
        // Talos and etcd: the dashboard's Talos feed verdicts, from one poll (issue 15).
        var talos = options.Talosconfig is { } talosconfig
            ? await HomeOps.Cli.Sources.TalosSource.ReadAsync(talosconfig, options.Talosctl, result.Snapshots, now, options.TalosTimeout, ct)
            : null;
        // The dashboard's own area rollups over what was read: a missing expected node fails the Nodes area here too, and
        // Talos's and etcd's verdicts are part of the Nodes area as in the dashboard.
        var state = StatusState.WithTalos(StatusState.Of(result, now), talos, now);
        var areas = AreaRollups.All(state, options.ExpectedNodes);
        // The slow-burn radar: the dashboard's computation over what was read, this kubeconfig's and the API server's
        // certificates, and the talosconfig's when one was given. Informational: it does not change the exit code.
        var credentials = options.Talosconfig is { } talosPath
            ? result.Credentials.With(HomeOps.Cluster.Sources.Credentials.CredentialCertificates.FromTalosconfigFile(talosPath))
            : result.Credentials;
        var radar = ExpiryRadar.Compute(new RadarInputs(state, credentials, new RadarOptions(), now));
        if (options.Output == OutputFormat.Json)
            JsonOutputWriter.Write([.. areas.Select(a => AreaReport.From(a, now))], rows, EtcdReport.From(talos, now), stdout, radar);
        else
        {
            TableWriter.Write(rows, areas, stdout);
            TalosLines.Write(talos, now, stdout);
            RadarLines.Write(radar, stdout);
        }
        await stdout.FlushAsync(ct);
        // An area that is Unknown (BGPv1 sessions, a kind not read) is not a failure; a Failed or Degraded one is.
        var areasOk = areas.All(a => a.Health is not (HealthStatus.Failed or HealthStatus.Degraded));
        // Talos asked: not answering, or its verdict (etcd quorum and alarms, node stage and services) not Healthy, is not OK.
        var talosOk = talos is null || talos.IsLive && talos.Verdict.IsOk;
        return !result.Incomplete && areasOk && talosOk && rows.All(r => r.Snapshot.Verdict.IsOk) ? Ok : NotOk;
    }

    /// <summary>
    /// <c>Cluster:Backups</c> from the environment (<c>Cluster__Backups__MaxAge__database=14.06:00:00</c>, …), the same
    /// settings and defaults as the dashboard's; invalid values are bad input.
    /// </summary>
    private static HomeOps.Cluster.Health.BackupOptions BackupSettings()
    {
        var options = new HomeOps.Cluster.Health.BackupOptions();
        try
        {
            // The environment-variable provider's mapping (Section__Key → Section:Key), for this one section.
            var settings = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .Select(e => (Key: ((string)e.Key).Replace("__", ":", StringComparison.Ordinal), Value: e.Value as string))
                .Where(e => e.Key.StartsWith(HomeOps.Cluster.Health.BackupOptions.Section + ":", StringComparison.OrdinalIgnoreCase))
                .ToDictionary(e => e.Key, e => e.Value, StringComparer.OrdinalIgnoreCase);
            new ConfigurationBuilder().AddInMemoryCollection(settings).Build()
                .GetSection(HomeOps.Cluster.Health.BackupOptions.Section).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new BadInputException($"Cluster:Backups: {e.Message}");
        }
        return options.Validate() is { } problem ? throw new BadInputException(problem) : options;
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
