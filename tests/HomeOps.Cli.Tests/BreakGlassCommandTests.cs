using Microsoft.AspNetCore.Identity;
using OtpNet;

namespace HomeOps.Cli.Tests;

/// <summary>
/// <c>homeops hash-password</c> and <c>homeops totp-secret</c> as the operator runs them: the real CLI process, the
/// password on standard input. What they print is checked the way the dashboard's break-glass account checks it
/// (ASP.NET Core's PasswordHasher, Otp.NET), without loading the dashboard into this light test project.
/// </summary>
public sealed class BreakGlassCommandTests
{
    [Fact]
    public async Task Hash_password_prints_a_V3_hash_the_dashboard_verifies_and_never_echoes_the_password()
    {
        const string password = "station break-glass 2026";
        var result = await CliProcess.RunAsync(["hash-password"], stdin: password + "\n");
        Assert.True(result.ExitCode == 0, result.ToString());
        var hash = result.Stdout.Trim();
        Assert.Equal(0x01, Convert.FromBase64String(hash)[0]);   // the V3 format marker
        var hasher = new PasswordHasher<object>();
        Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(new object(), hash, password));
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(new object(), hash, password + "!"));
        Assert.DoesNotContain(password, result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task Hash_password_with_argon2id_prints_a_PHC_hash_the_dashboards_code_verifies()
    {
        const string password = "station break-glass argon 2026";
        var result = await CliProcess.RunAsync(["hash-password", "--argon2id"], stdin: password + "\n");
        Assert.True(result.ExitCode == 0, result.ToString());
        var hash = result.Stdout.Trim();
        Assert.StartsWith("$argon2id$v=19$m=65536,t=3,p=1$", hash);
        // The same code the dashboard's break-glass account verifies with (one file, linked into the CLI).
        Assert.True(HomeOps.Dashboard.Auth.Argon2idHash.Verify(hash, password));
        Assert.False(HomeOps.Dashboard.Auth.Argon2idHash.Verify(hash, password + "!"));
        Assert.DoesNotContain(password, result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task Hash_password_refuses_a_password_argument_an_empty_input_and_a_short_password()
    {
        var argument = await CliProcess.RunAsync(["hash-password", "hunter2-as-an-argument"], stdin: "");
        Assert.Equal(2, argument.ExitCode);
        Assert.Contains("standard input", argument.Stderr);
        Assert.DoesNotContain("hunter2-as-an-argument", argument.Stderr + argument.Stdout);
        Assert.Equal(2, (await CliProcess.RunAsync(["hash-password"], stdin: "")).ExitCode);
        var tooShort = await CliProcess.RunAsync(["hash-password"], stdin: "short\n");
        Assert.Equal(2, tooShort.ExitCode);
        Assert.Contains("at least 12", tooShort.Stderr);
    }

    [Fact]
    public async Task Totp_secret_prints_a_base32_secret_and_its_otpauth_uri()
    {
        var result = await CliProcess.RunAsync("totp-secret", "--user", "breakglass");
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(20, Base32Encoding.ToBytes(lines[0]).Length);   // 160 bits, as RFC 4226 recommends
        Assert.StartsWith("otpauth://totp/", lines[1]);
        Assert.Contains("secret=" + lines[0], lines[1]);
        var totp = new Totp(Base32Encoding.ToBytes(lines[0]));
        var now = DateTime.UtcNow;
        Assert.True(totp.VerifyTotp(now, totp.ComputeTotp(now), out _));
    }
}
