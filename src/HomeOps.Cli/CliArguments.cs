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
    public const string Usage = """
        Usage: homeops status [options]

        Prints the health of the home-ops cluster: nodes, Flux, Longhorn, Cilium BGP.

        Source (pick one; default: $KUBECONFIG or ~/.kube/config when present):
          --from DIR           read every *.json file under DIR (single objects or v1 Lists), offline
          --kubeconfig PATH    read from the cluster in this kubeconfig
          --context NAME       kubeconfig context to use (default: the current context)
          --simulator          start the embedded home-ops simulator and read from it

        Output:
          --output table|json  aligned table grouped by area (default), or one JSON array of
                               {kind, apiVersion, namespace, name, health, reason, message}
          -h, --help           show this help

        Exit codes: 0 every object is Healthy or Suspended; 1 otherwise (or a kind could not be read);
                    2 bad input (unknown option, missing folder, malformed JSON file, unreachable cluster).
        """;

    /// <summary>Parses <paramref name="args"/>; throws <see cref="BadInputException"/> with a message for the user.</summary>
    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0) throw new BadInputException("missing command: expected `status`");
        if (args[0] is "-h" or "--help" or "help") return new CliArguments(true, null, null, null, false, OutputFormat.Table);
        if (args[0] != "status") throw new BadInputException($"unknown command '{args[0]}': expected `status`");

        string? from = null, kubeconfig = null, context = null;
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
                default:
                    throw new BadInputException($"unknown option '{arg}'");
            }
        }
        var sources = (from is null ? 0 : 1) + (kubeconfig is null ? 0 : 1) + (simulator ? 1 : 0);
        if (sources > 1) throw new BadInputException("choose one source: --from, --kubeconfig or --simulator");
        if (context is not null && (from is not null || simulator))
            throw new BadInputException("--context applies to a kubeconfig source only");
        return new CliArguments(false, from, kubeconfig, context, simulator, output);
    }
}

/// <summary>Input the command cannot work with (exit code 2); the message names the option or file.</summary>
public sealed class BadInputException(string message) : Exception(message);
