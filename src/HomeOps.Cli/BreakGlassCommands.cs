using System.Text;
using Microsoft.AspNetCore.Identity;
using OtpNet;

namespace HomeOps.Cli;

/// <summary>
/// The dashboard's break-glass account, prepared offline (docs/station.md):
/// <c>homeops hash-password</c> reads a password from standard input (never an argument, which would land in shell history
/// and the process list) and prints its ASP.NET Core PasswordHasher V3 hash for <c>BreakGlass:PasswordHashFile</c>;
/// <c>homeops totp-secret</c> prints a new random base32 TOTP secret for <c>BreakGlass:TotpSecretFile</c> and the
/// otpauth:// URI to add it to an authenticator app.
/// </summary>
public static class BreakGlassCommands
{
    public const string HashUsage = """
        Usage: homeops hash-password [--argon2id] < password-file
               homeops hash-password [--argon2id]            (prompts; input is not echoed)

        Prints the ASP.NET Core PasswordHasher (V3) hash of the password read from standard input (first line), for the
        dashboard's BreakGlass:PasswordHash / BreakGlass:PasswordHashFile. With --argon2id: an Argon2id hash in the PHC
        format ($argon2id$v=19$m=65536,t=3,p=1$…), which the dashboard accepts too. The password is never taken as an argument.
        """;

    public const string TotpUsage = """
        Usage: homeops totp-secret [--user NAME] [--issuer NAME]

        Prints a new random TOTP secret (base32, 160 bits) for BreakGlass:TotpSecret / BreakGlass:TotpSecretFile on the
        first line, and an otpauth:// URI for an authenticator app on the second.
        """;

    private sealed class BreakGlassUser;

    public static async Task<int> HashPasswordAsync(IReadOnlyList<string> args, TextReader input, bool interactive, TextWriter stdout, TextWriter stderr)
    {
        if (args.Count > 1 && args[1] is "-h" or "--help") { await stdout.WriteLineAsync(HashUsage); return 0; }
        var argon2id = args.Count == 2 && args[1] == "--argon2id";
        if (args.Count > 1 && !argon2id)
        {
            // Not echoed back: it may be the password itself.
            await stderr.WriteLineAsync("homeops: hash-password takes no arguments: pipe the password on standard input\n" + HashUsage);
            return StatusCommand.BadInput;
        }
        string? password;
        if (interactive)
        {
            await stderr.WriteAsync("Break-glass password: ");
            password = ReadHidden();
            await stderr.WriteLineAsync();
        }
        else
        {
            password = await input.ReadLineAsync();
        }
        if (string.IsNullOrEmpty(password))
        {
            await stderr.WriteLineAsync("homeops: no password on standard input");
            return StatusCommand.BadInput;
        }
        if (password.Length < 12)
        {
            await stderr.WriteLineAsync("homeops: a break-glass password must have at least 12 characters");
            return StatusCommand.BadInput;
        }
        await stdout.WriteLineAsync(argon2id
            ? HomeOps.Dashboard.Auth.Argon2idHash.Hash(password)
            : new PasswordHasher<BreakGlassUser>().HashPassword(new BreakGlassUser(), password));
        return 0;
    }

    public static async Task<int> TotpSecretAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        string user = "breakglass", issuer = "HomeOps";
        for (var i = 1; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    await stdout.WriteLineAsync(TotpUsage);
                    return 0;
                case "--user" when i + 1 < args.Count:
                    user = args[++i];
                    break;
                case "--issuer" when i + 1 < args.Count:
                    issuer = args[++i];
                    break;
                default:
                    await stderr.WriteLineAsync($"homeops: unknown option '{Terminal.Clean(args[i])}'\n" + TotpUsage);
                    return StatusCommand.BadInput;
            }
        }
        var secret = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
        await stdout.WriteLineAsync(secret);
        await stdout.WriteLineAsync(new OtpUri(OtpType.Totp, secret, user, issuer).ToString());
        return 0;
    }

    private static string ReadHidden()
    {
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) return text.ToString();
            if (key.Key == ConsoleKey.Backspace) { if (text.Length > 0) text.Length--; }
            else if (!char.IsControl(key.KeyChar)) text.Append(key.KeyChar);
        }
    }
}
