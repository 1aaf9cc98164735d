using HomeOps.Cli;

// `homeops status …` — the same verdicts the dashboard shows, in a terminal (replaces `task cluster:status`);
// `homeops hash-password` and `homeops totp-secret` prepare the dashboard's break-glass account.
try
{
    return args.FirstOrDefault() switch
    {
        // Break-glass account preparation (docs/station.md): the password only ever on standard input.
        "hash-password" => await BreakGlassCommands.HashPasswordAsync(args, Console.In, !Console.IsInputRedirected, Console.Out, Console.Error),
        "totp-secret" => await BreakGlassCommands.TotpSecretAsync(args, Console.Out, Console.Error),
        _ => await StatusCommand.RunAsync(args, Console.Out, Console.Error, CancellationToken.None),
    };
}
catch (Exception e)
{
    // Never a stack trace for an operator; exit 2 because no verdict could be given.
    await Console.Error.WriteLineAsync($"homeops: unexpected error: {Terminal.Clean(e.Message)}");
    return StatusCommand.BadInput;
}
