using System.Net;
using HomeOps.Dashboard.Auth;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OtpNet;

namespace HomeOps.Dashboard.Tests.Auth;

/// <summary>
/// The break-glass account's pieces on their own: password hash and TOTP verification, the lockout on a fake clock,
/// the network check, the offer decision and the start-time validation of the BreakGlass section.
/// </summary>
public sealed class BreakGlassTests
{
    private const string Password = "correct horse battery staple";
    private static readonly string Hash = BreakGlassAccount.HashPassword(Password);
    private static readonly string Secret = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 12, 0, 10, TimeSpan.Zero);   // 10 s into a 30 s TOTP step

    private static string Code(DateTimeOffset at) => new Totp(Base32Encoding.ToBytes(Secret)).ComputeTotp(at.UtcDateTime);

    // ---- password and TOTP ----

    [Fact]
    public void The_password_is_checked_against_a_PasswordHasher_V3_hash_and_the_user_name_case_insensitively()
    {
        Assert.True(BreakGlassAccount.IsV3Hash(Hash));
        var account = new BreakGlassAccount("breakglass", Hash, "");
        Assert.False(account.RequiresTotp);
        Assert.True(account.Verify("breakglass", Password, null, T0));
        Assert.True(account.Verify(" BreakGlass ", Password, null, T0));
        Assert.False(account.Verify("breakglass", Password + "x", null, T0));
        Assert.False(account.Verify("breakglass", "", null, T0));
        Assert.False(account.Verify("admin", Password, null, T0));
        Assert.False(account.Verify(null, Password, null, T0));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 at all")]
    [InlineData("AQAAAA==")]                                   // V3 marker, far too short
    [InlineData("AGZvb2Jhcg==")]                               // a V2 marker (0x00)
    public void Anything_but_a_V3_hash_is_rejected_and_never_verifies(string hash)
    {
        Assert.False(BreakGlassAccount.IsV3Hash(hash));
        Assert.False(new BreakGlassAccount("breakglass", hash, "").VerifyPassword(Password));
    }

    [Fact]
    public void An_Argon2id_hash_verifies_beside_the_PasswordHasher_format_and_passes_the_start_time_check()
    {
        // Small parameters keep the test light; the format and the check are the same as the defaults'.
        var argon = Argon2idHash.Hash(Password, memoryKiB: 1024, iterations: 2, parallelism: 1);
        Assert.StartsWith("$argon2id$v=19$m=1024,t=2,p=1$", argon);
        Assert.True(BreakGlassAccount.IsSupportedHash(argon));
        Assert.True(BreakGlassAccount.IsSupportedHash(Hash));
        Assert.False(BreakGlassAccount.IsV3Hash(argon));
        foreach (var hash in new[] { argon, Hash })
        {
            var account = new BreakGlassAccount("breakglass", hash, "");
            Assert.True(account.Verify("breakglass", Password, null, T0), hash[..10]);
            Assert.False(account.Verify("breakglass", Password + "x", null, T0), hash[..10]);
            Assert.False(account.Verify("admin", Password, null, T0), hash[..10]);
        }
        // Two hashes of the same password differ (random salt) and both verify.
        var again = Argon2idHash.Hash(Password, memoryKiB: 1024, iterations: 2, parallelism: 1);
        Assert.NotEqual(argon, again);
        Assert.True(Argon2idHash.Verify(again, Password));
        Assert.True(new BreakGlassOptionsValidator().Validate(null, new BreakGlassOptions
        {
            Enabled = true, PasswordHash = argon, AllowedNetworks = ["10.0.0.0/8"],
        }).Succeeded);
    }

    [Theory]
    [InlineData("$argon2i$v=19$m=1024,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")]      // Argon2i, not Argon2id
    [InlineData("$argon2id$v=16$m=1024,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")]     // an old version
    [InlineData("$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")]  // 4 GiB: beyond the bound
    [InlineData("$argon2id$v=19$m=1024,t=99,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")]    // 99 passes: beyond the bound
    [InlineData("$argon2id$v=19$m=1024,t=2$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")]         // p missing
    [InlineData("$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHQ")]                            // hash missing
    [InlineData("$argon2id$v=19$m=1024,t=2,p=1$!!!$aGFzaGhhc2hoYXNoaGFzaA")]             // salt not base64
    public void A_malformed_or_unbounded_Argon2id_hash_is_rejected_at_start_and_never_verifies(string hash)
    {
        Assert.False(BreakGlassAccount.IsSupportedHash(hash));
        Assert.False(new BreakGlassAccount("breakglass", hash, "").VerifyPassword(Password));
        var result = new BreakGlassOptionsValidator().Validate(null, new BreakGlassOptions { Enabled = true, PasswordHash = hash, AllowedNetworks = ["10.0.0.0/8"] });
        Assert.True(result.Failed);
        Assert.Contains("Argon2id", result.FailureMessage);
    }

    [Fact]
    public void With_a_TOTP_secret_the_current_code_is_required_and_each_step_is_usable_once()
    {
        var account = new BreakGlassAccount("breakglass", Hash, Secret);
        Assert.True(account.RequiresTotp);
        Assert.False(account.Verify("breakglass", Password, null, T0));                          // code missing
        Assert.False(account.Verify("breakglass", Password, "12345", T0));                       // malformed
        Assert.False(account.Verify("breakglass", Password, Code(T0.AddMinutes(-5)), T0));      // too old
        Assert.False(account.Verify("breakglass", Password + "x", Code(T0), T0));               // right code, wrong password
        Assert.True(account.Verify("breakglass", Password, Code(T0), T0));
        Assert.False(account.Verify("breakglass", Password, Code(T0), T0));                      // replayed
        Assert.True(account.Verify("breakglass", Password, Code(T0.AddSeconds(30)), T0.AddSeconds(31)));   // the next step
        Assert.False(account.Verify("breakglass", Password, Code(T0), T0.AddSeconds(31)));      // an earlier step after a later one
    }

    [Fact]
    public void A_code_one_step_old_is_accepted_for_clock_skew_and_spaces_are_ignored()
    {
        var account = new BreakGlassAccount("breakglass", Hash, Secret);
        var code = Code(T0);
        Assert.True(account.Verify("breakglass", Password, code[..3] + " " + code[3..], T0.AddSeconds(25)));   // now the next step
    }

    // ---- lockout ----

    private static (BreakGlassLockout Lockout, FakeTimeProvider Time) Lockout(int max = 3, int minutes = 10)
    {
        var time = new FakeTimeProvider(T0);
        var options = Options.Create(new BreakGlassOptions { MaxFailures = max, LockoutWindow = TimeSpan.FromMinutes(minutes) });
        return (new BreakGlassLockout(options, time), time);
    }

    [Fact]
    public void N_failures_in_the_window_lock_the_user_for_the_window_then_it_unlocks()
    {
        var (lockout, time) = Lockout();
        Assert.Null(lockout.RecordFailure("breakglass"));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(lockout.RecordFailure("breakglass"));
        Assert.Null(lockout.LockedUntil("breakglass"));
        Assert.Equal(2, lockout.FailuresOf("breakglass"));
        time.Advance(TimeSpan.FromMinutes(1));
        var until = lockout.RecordFailure("breakglass");
        Assert.Equal(T0.AddMinutes(12), until);
        Assert.Equal(until, lockout.LockedUntil("breakglass"));
        Assert.Null(lockout.LockedUntil(BreakGlassLockout.OtherNames));   // per user

        time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.NotNull(lockout.LockedUntil("breakglass"));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(lockout.LockedUntil("breakglass"));
        Assert.Null(lockout.RecordFailure("breakglass"));                  // counting starts again
    }

    [Fact]
    public void Failures_older_than_the_window_are_forgotten_and_a_success_clears_them()
    {
        var (lockout, time) = Lockout();
        lockout.RecordFailure("breakglass");
        lockout.RecordFailure("breakglass");
        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(lockout.RecordFailure("breakglass"));                  // the first two are out of the window
        Assert.Equal(1, lockout.FailuresOf("breakglass"));

        lockout.RecordFailure("breakglass");
        lockout.RecordSuccess("breakglass");
        Assert.Equal(0, lockout.FailuresOf("breakglass"));
        Assert.Null(lockout.RecordFailure("breakglass"));
        Assert.Null(lockout.RecordFailure("breakglass"));
        Assert.NotNull(lockout.RecordFailure("breakglass"));
    }

    // ---- networks and the offer ----

    private sealed class Provider(bool up) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            up ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)) : throw new HttpRequestException("connection refused");
    }

    private sealed class OidcMonitor(OpenIdConnectOptions value) : IOptionsMonitor<OpenIdConnectOptions>
    {
        public OpenIdConnectOptions CurrentValue => value;
        public OpenIdConnectOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<OpenIdConnectOptions, string?> listener) => null;
    }

    private static BreakGlassGate Gate(BreakGlassOptions options, bool authentikUp) => new(
        Options.Create(options),
        new IdentityProviderReachability(new FakeTimeProvider(T0), TimeSpan.FromSeconds(10)),
        new OidcMonitor(new OpenIdConnectOptions { Authority = "https://authentik.example/application/o/homeops/", Backchannel = new HttpClient(new Provider(authentikUp)) }));

    private static HttpContext From(string address) => new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse(address) } };

    [Theory]
    [InlineData("192.168.1.20", true)]
    [InlineData("::ffff:192.168.1.20", true)]    // IPv4 on a dual-stack socket
    [InlineData("192.168.2.20", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("fd00:1::5", true)]
    [InlineData("2001:db8::1", false)]
    public void Only_addresses_inside_the_allowed_networks_pass(string address, bool allowed)
    {
        var gate = Gate(new BreakGlassOptions { Enabled = true, AllowedNetworks = ["192.168.1.0/24", "fd00::/8"] }, authentikUp: false);
        Assert.Equal(allowed, gate.IsAllowedNetwork(IPAddress.Parse(address)));
        Assert.False(gate.IsAllowedNetwork(null));
    }

    [Fact]
    public async Task Offered_only_when_enabled_from_an_allowed_network_and_Authentik_is_down_or_AlwaysOffer()
    {
        var on = new BreakGlassOptions { Enabled = true, AllowedNetworks = ["192.168.1.0/24"] };
        Assert.Equal(BreakGlassOffer.NotConfigured, await Gate(new BreakGlassOptions { AllowedNetworks = ["0.0.0.0/0"] }, false).DecideAsync(From("192.168.1.20")));
        Assert.Equal(BreakGlassOffer.OutsideAllowedNetworks, await Gate(on, false).DecideAsync(From("10.0.0.9")));
        Assert.Equal(BreakGlassOffer.IdentityProviderReachable, await Gate(on, true).DecideAsync(From("192.168.1.20")));
        Assert.Equal(BreakGlassOffer.Offered, await Gate(on, false).DecideAsync(From("192.168.1.20")));
        var always = new BreakGlassOptions { Enabled = true, AlwaysOffer = true, AllowedNetworks = ["192.168.1.0/24"] };
        Assert.Equal(BreakGlassOffer.Offered, await Gate(always, true).DecideAsync(From("192.168.1.20")));
        Assert.Equal(BreakGlassOffer.OutsideAllowedNetworks, await Gate(always, true).DecideAsync(From("10.0.0.9")));
    }

    // ---- the session ----

    [Fact]
    public void The_session_is_an_operator_marked_breakglass_and_freshly_signed_in()
    {
        var auth = new AuthOptions();
        var user = BreakGlassEndpoints.Principal(new BreakGlassAccount("breakglass", Hash, Secret), auth, T0, sessionId: "abc");
        Assert.True(BreakGlassGate.IsBreakGlassSession(user));
        Assert.True(Policies.IsOperator(user, auth));
        Assert.Equal("breakglass", user.Identity!.Name);
        Assert.Equal(T0, ActorFactory.AuthTime(user));
        Assert.True(ActorFactory.IsFresh(user, auth, T0.AddMinutes(1)));
        Assert.False(ActorFactory.IsFresh(user, auth, T0 + auth.StepUpMaxAge + TimeSpan.FromSeconds(1)));
        Assert.Equal("abc", user.FindFirst(ServerSessions.SessionIdClaim)?.Value);
        Assert.Contains(user.FindAll("amr"), c => c.Value == "otp");
        Assert.False(BreakGlassGate.IsBreakGlassSession(new System.Security.Claims.ClaimsPrincipal()));
    }

    // ---- validation at start ----

    [Fact]
    public void Off_needs_nothing_and_a_complete_section_read_from_files_passes()
    {
        var validator = new BreakGlassOptionsValidator();
        Assert.True(validator.Validate(null, new BreakGlassOptions()).Succeeded);
        var dir = Directory.CreateTempSubdirectory("breakglass-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "hash"), Hash + "\n");       // a Secret key often ends with a newline
            File.WriteAllText(Path.Combine(dir.FullName, "totp"), Secret + "\n");
            var options = new BreakGlassOptions
            {
                Enabled = true,
                PasswordHashFile = Path.Combine(dir.FullName, "hash"),
                TotpSecretFile = Path.Combine(dir.FullName, "totp"),
                AllowedNetworks = ["192.168.1.0/24"],
            };
            var result = validator.Validate(null, options);
            Assert.True(result.Succeeded, result.FailureMessage);
            var account = new BreakGlassAccount(Options.Create(options));
            Assert.True(account.RequiresTotp);
            Assert.True(account.Verify("breakglass", Password, Code(T0), T0));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Each_bad_setting_is_named_and_no_secret_value_is_repeated()
    {
        const string badHash = "s3cret-not-a-hash";
        const string badTotp = "s3cret!!";
        var result = new BreakGlassOptionsValidator().Validate(null, new BreakGlassOptions
        {
            Enabled = true,
            PasswordHash = badHash,
            TotpSecret = badTotp,
            AllowedNetworks = ["192.168.1.0/33"],
            MaxFailures = 0,
        });
        Assert.True(result.Failed);
        var message = result.FailureMessage;
        Assert.Contains("BreakGlass:PasswordHash", message);
        Assert.Contains("BreakGlass:TotpSecret", message);
        Assert.Contains("192.168.1.0/33", message);
        Assert.Contains("BreakGlass:MaxFailures", message);
        Assert.DoesNotContain(badHash, message);
        Assert.DoesNotContain(badTotp, message);

        var missing = new BreakGlassOptionsValidator().Validate(null, new BreakGlassOptions { Enabled = true, PasswordHashFile = "/nonexistent/hash" });
        Assert.Contains("/nonexistent/hash", missing.FailureMessage);
        Assert.Contains("BreakGlass:AllowedNetworks is empty", missing.FailureMessage);
        var none = new BreakGlassOptionsValidator().Validate(null, new BreakGlassOptions { Enabled = true, AllowedNetworks = ["10.0.0.0/8"] });
        Assert.Contains("BreakGlass:PasswordHash or BreakGlass:PasswordHashFile must be set", none.FailureMessage);
    }
}
