using HomeOps.Simulator.OpsCommands;

// homeops-sim-tool [--log FILE] task|talosctl|flux|node-return ARGS…
// The HomeOps simulator's stand-ins for the operations tools; see HomeOps.Simulator/OpsCommands.
var arguments = args;
ToolConsole io;
StreamWriter? log = null;
if (arguments is ["--log", var logPath, ..])
{
    // A detached helper: no one reads its standard streams, so it writes to its log file.
    log = new StreamWriter(logPath, append: true) { AutoFlush = true };
    arguments = arguments[2..];
    var process = ToolConsole.FromProcess();
    io = new ToolConsole(TextReader.Null, log, log, EnvironmentVariables(), process.WorkingDirectory);
}
else
{
    var process = ToolConsole.FromProcess();
    io = new ToolConsole(process.In, process.Out, process.Error, EnvironmentVariables(), process.WorkingDirectory)
    {
        StartDetached = toolArgs => OpsCommandLine.StartDetached(toolArgs, process),
    };
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
var code = await OpsCommandLine.RunAsync(arguments, io, cts.Token);
log?.Dispose();
return code;

static IReadOnlyDictionary<string, string?> EnvironmentVariables()
{
    var env = new Dictionary<string, string?>(StringComparer.Ordinal);
    foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables()) env[(string)e.Key] = e.Value as string;
    return env;
}
