using HomeOps.Operations.Runners;
using HomeOps.Operations.Tests.Support;

namespace HomeOps.Operations.Tests;

/// <summary>
/// Issue 14, the operator station: the mounted 1Password service-account token (Operations:OnePasswordTokenFile, a
/// compose secret) reaches only a step that names a 1Password account (OP_ACCOUNT), as OP_SERVICE_ACCOUNT_TOKEN — read
/// from the file at step start, never from the dashboard's own environment, and never in any other step's process.
/// </summary>
public sealed class OnePasswordTokenTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Probe = "if [ -n \"${OP_SERVICE_ACCOUNT_TOKEN:-}\" ]; then echo \"token:${#OP_SERVICE_ACCOUNT_TOKEN}\"; else echo none; fi";

    private static async Task<List<string>> RunAsync(TempDir dir, string? tokenFile, Dictionary<string, string?> env)
    {
        var lines = new List<string>();
        var result = await new LocalProcessRunner(onePasswordTokenFile: tokenFile).RunAsync(
            new StepCommand(["/bin/sh", "-c", Probe], env, dir.Path, null), l => { lock (lines) lines.Add(l.Text); }, Ct);
        Assert.True(result.Succeeded, result.Error);
        return lines;
    }

    [Fact]
    public async Task A_step_naming_a_1Password_account_gets_the_token_from_the_file_and_other_steps_do_not()
    {
        using var dir = new TempDir();
        var file = dir.File("op-token");
        await File.WriteAllTextAsync(file, "ops_abcdefghij\n", Ct);

        Assert.Equal(["token:14"], await RunAsync(dir, file, new() { ["OP_ACCOUNT"] = "home" }));
        Assert.Equal(["none"], await RunAsync(dir, file, new() { ["TALOSCONFIG"] = "x" }));
        Assert.Equal(["none"], await RunAsync(dir, tokenFile: null, new() { ["OP_ACCOUNT"] = "home" }));
    }

    [Fact]
    public async Task A_missing_token_file_fails_the_step_with_a_clear_message_that_names_the_setting_not_the_token()
    {
        using var dir = new TempDir();
        var result = await new LocalProcessRunner(onePasswordTokenFile: dir.File("absent")).RunAsync(
            new StepCommand(["/bin/sh", "-c", "true"], new Dictionary<string, string?> { ["OP_ACCOUNT"] = "home" }, dir.Path, null), _ => { }, Ct);
        Assert.False(result.Succeeded);
        Assert.Contains("Operations:OnePasswordTokenFile", result.Error);
    }
}
