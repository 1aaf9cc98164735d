using HomeOps.Cli;

// `homeops status …` — the same verdicts the dashboard shows, in a terminal (replaces `task cluster:status`).
try
{
    return await StatusCommand.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
}
catch (Exception e)
{
    // Never a stack trace for an operator; exit 2 because no verdict could be given.
    await Console.Error.WriteLineAsync($"homeops: unexpected error: {Terminal.Clean(e.Message)}");
    return StatusCommand.BadInput;
}
