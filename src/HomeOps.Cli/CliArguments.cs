using HomeOps.Cluster.Sources;

namespace HomeOps.Cli;

public enum OutputFormat
{
    Table,
    Json,
}

/// <summary>Parsed <c>status</c> arguments. Plain parsing: a handful of options does not need a framework.</summary>
public sealed record CliArguments(
    bool Help,
    string? From,
    string? Kubeconfig,
    string? Context,
    bool Simulator,
    OutputFormat Output)
{
    /// <summary>Nodes the cluster should have (<c>--expected-nodes</c>, as <c>Cluster:ExpectedNodes</c> in the dashboard).</summary>
    public IReadOnlyList<string> ExpectedNodes { get; init; } = ClusterOptions.DefaultExpectedNodes;

    /// <summary>Authentik to read outposts and tokens from; null: the Authentik area is not read.</summary>
    public string? AuthentikUrl { get; init; }

    public string? AuthentikTokenFile { get; init; }

    public string? AuthentikCaBundle { get; init; }

    /// <summary>The talosconfig to read Talos and etcd with (<c>--talosconfig</c>); null: the etcd line says it was not read.</summary>
    public string? Talosconfig { get; init; }

    /// <summary>The talosctl executable (<c>--talosctl</c>, default <c>talosctl</c> on PATH).</summary>
    public string Talosctl { get; init; } = "talosctl";

    /// <summary><c>--talos-timeout</c>: how long each talosctl call may take before it counts as not answering (default 15 s).</summary>
    public TimeSpan TalosTimeout { get; init; } = HomeOps.Cli.Sources.TalosSource.DefaultTimeout;
    /// <summary><c>--since</c>: print the dashboard's change timeline of this recent period instead of reading the cluster.</summary>
    public TimeSpan? Since { get; init; }

    /// <summary><c>--data-dir</c>: the dashboard's Operations:DataDirectory (where its SQLite database is); null: the default.</summary>
    public string? DataDirectory { get; init; }

    public const string Usage = """
        Usage: homeops status [options]

        Prints the health of the home-ops cluster: nodes, Flux, Longhorn, Cilium BGP.

        Source (pick one; default: $KUBECONFIG or ~/.kube/config when present):
          --from DIR           read every *.json file under DIR (single objects or v1 Lists), offline
          --kubeconfig PATH    read from the cluster in this kubeconfig
          --context NAME       kubeconfig context to use (default: the current context)
          --simulator          start the embedded home-ops simulator and read from it

        Areas:
          --expected-nodes A,B,C   nodes the cluster should have; a missing one fails the Nodes area
                                   (default: mini01,mini02,mini03, as the dashboard's Cluster:ExpectedNodes)
          --authentik-url URL      also read Authentik's outposts and tokens (the Authentik area)
          --authentik-token-file F file holding the Authentik API token (never pass a token as an argument)
          --authentik-ca PEM       CA bundle to trust for Authentik's certificate
          --talosconfig PATH       also read Talos and etcd with talosctl (the etcd line: members, leader, quorum,
                                   alarms; per-node stage, services, apid reachability). Without it the etcd line
                                   says it was not read.
          --talosctl BIN           the talosctl executable (default: talosctl on PATH)
          --talos-timeout SECONDS  how long each talosctl call may take (default: 15; 1-600)

        Timeline (what changed, from the dashboard's database instead of the cluster):
          --since DURATION     print the change timeline's entries of the last DURATION (30m, 1h, 7d), newest
                               first: health transitions, Flux revisions, chart versions, reboots, versions,
                               Warning events, the dashboard's actions
          --data-dir DIR       the dashboard's Operations:DataDirectory holding operations.db (default: the
                               dashboard's default, $XDG_DATA_HOME/homeops-dashboard or ~/.local/share/homeops-dashboard);
                               with Database__ConnectionString set in the environment, PostgreSQL is read instead

        Output:
          --output table|json  aligned table grouped by area (default), or one JSON object
                               {"areas": [{area, total, ok, worst, freshness, live, count, countLabel}],
                                "entries": [{kind, apiVersion, namespace, name, health, reason, message}],
                                "radar": {health, verdict, count, items: [{source, namespace, name, expiresAt,
                                          secondsLeft, health, reason, message}], sources: [{source, health, items, status}]}}
                               with the dashboard's area verdicts (the same as /api/v1/health) and its slow-burn
                               radar (the same as /api/v1/radar: cert-manager Certificates, the kubeconfig's and
                               --talosconfig's client certificates, the API server's certificate, Authentik tokens;
                               the table prints it as a "radar" section; it does not change the exit code)
          -h, --help           show this help

        Exit codes: 0 every object is Healthy or Suspended and no area is Failed or Degraded; 1 otherwise (or a
                    kind could not be read); 2 bad input (unknown option, missing folder, malformed JSON file,
                    unreachable cluster).
        """;

    /// <summary>Parses <paramref name="args"/>; throws <see cref="BadInputException"/> with a message for the user.</summary>
    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0) throw new BadInputException("missing command: expected `status`");
        if (args[0] is "-h" or "--help" or "help") return new CliArguments(true, null, null, null, false, OutputFormat.Table);
        if (args[0] != "status") throw new BadInputException($"unknown command '{args[0]}': expected `status`, `hash-password` or `totp-secret`");

        string? from = null, kubeconfig = null, context = null, authentikUrl = null, authentikTokenFile = null, authentikCa = null, talosconfig = null, dataDir = null;
        var talosctl = "talosctl";
        var talosTimeout = HomeOps.Cli.Sources.TalosSource.DefaultTimeout;
        TimeSpan? since = null;
        IReadOnlyList<string> expectedNodes = ClusterOptions.DefaultExpectedNodes;
        var simulator = false;
        var output = OutputFormat.Table;
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.StartsWith("--", StringComparison.Ordinal) ? arg.IndexOf('=') : -1;
            if (eq > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }
            string Value()
            {
                if (inline is not null) return inline;
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new BadInputException($"option {arg} needs a value");
                return args[++i];
            }
            switch (arg)
            {
                case "-h" or "--help":
                    return new CliArguments(true, null, null, null, false, OutputFormat.Table);
                case "--from":
                    from = Value();
                    break;
                case "--kubeconfig":
                    kubeconfig = Value();
                    break;
                case "--context":
                    context = Value();
                    break;
                case "--simulator":
                    if (inline is not null) throw new BadInputException("--simulator takes no value");
                    simulator = true;
                    break;
                case "--output" or "-o":
                    output = Value().ToLowerInvariant() switch
                    {
                        "table" => OutputFormat.Table,
                        "json" => OutputFormat.Json,
                        var other => throw new BadInputException($"unknown output format '{other}': expected table or json"),
                    };
                    break;
                case "--expected-nodes":
                    expectedNodes = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (ClusterOptions.ValidateExpectedNodes(expectedNodes) is { } problem)
                        throw new BadInputException($"--expected-nodes: {problem}");
                    if (expectedNodes.Count == 0) throw new BadInputException("--expected-nodes needs at least one node name");
                    break;
                case "--authentik-url":
                    authentikUrl = Value();
                    break;
                case "--authentik-token-file":
                    authentikTokenFile = Value();
                    break;
                case "--authentik-ca":
                    authentikCa = Value();
                    break;
                case "--talosconfig":
                    talosconfig = Value();
                    if (!File.Exists(talosconfig)) throw new BadInputException($"--talosconfig: no such file '{talosconfig}'");
                    break;
                case "--talosctl":
                    talosctl = Value();
                    break;
                case "--talos-timeout":
                    var seconds = Value();
                    if (!int.TryParse(seconds, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var secs) || secs is < 1 or > 600)
                        throw new BadInputException($"--talos-timeout '{seconds}': expected whole seconds from 1 to 600");
                    talosTimeout = TimeSpan.FromSeconds(secs);
                    break;
                case "--since":
                    var text = Value();
                    if (!HomeOps.Operations.Timeline.TimelineSince.TryParse(text, out var span))
                        throw new BadInputException($"--since '{text}': expected {HomeOps.Operations.Timeline.TimelineSince.Expected}");
                    since = span;
                    break;
                case "--data-dir":
                    dataDir = Value();
                    break;
                default:
                    throw new BadInputException($"unknown option '{arg}'");
            }
        }
        var sources = (from is null ? 0 : 1) + (kubeconfig is null ? 0 : 1) + (simulator ? 1 : 0);
        if (sources > 1) throw new BadInputException("choose one source: --from, --kubeconfig or --simulator");
        if (context is not null && (from is not null || simulator))
            throw new BadInputException("--context applies to a kubeconfig source only");
        if ((authentikUrl is null) != (authentikTokenFile is null))
            throw new BadInputException("--authentik-url and --authentik-token-file go together");
        if (authentikCa is not null && authentikUrl is null) throw new BadInputException("--authentik-ca needs --authentik-url");
        if (since is not null && (sources > 0 || context is not null || authentikUrl is not null))
            throw new BadInputException("--since reads the dashboard's timeline database: it takes no cluster source (--from, --kubeconfig, --context, --simulator, --authentik-url)");
        if (dataDir is not null && since is null) throw new BadInputException("--data-dir goes with --since");
        return new CliArguments(false, from, kubeconfig, context, simulator, output)
        {
            ExpectedNodes = expectedNodes,
            AuthentikUrl = authentikUrl,
            AuthentikTokenFile = authentikTokenFile,
            AuthentikCaBundle = authentikCa,
            Talosconfig = talosconfig,
            Talosctl = talosctl,
            TalosTimeout = talosTimeout,
            Since = since,
            DataDirectory = dataDir,
        };
    }
}

/// <summary>Input the command cannot work with (exit code 2); the message names the option or file.</summary>
public sealed class BadInputException(string message) : Exception(message);
