using System.Text.Json;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Runners;
using HomeOps.Operations.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace HomeOps.Operations.Tests;

/// <summary>
/// Issue 11, item 1: a step's process gets an allowlisted environment, not the dashboard's (which holds the OIDC client
/// secret, the Authentik token, the metrics bearer token…), and every configured secret is masked in the step's output
/// wherever it goes: the database row, the live event stream the hub forwards, the run view the API returns, the log.
/// </summary>
[Collection(ProcessEnvironment.Collection)]
public sealed class StepSecretsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string ClientSecret = "oidc-client-secret-" + Guid.NewGuid().ToString("N");
    private static readonly string AuthentikToken = "authentik-token-" + Guid.NewGuid().ToString("N");
    private static readonly string BearerToken = "metrics-bearer-" + Guid.NewGuid().ToString("N");
    private static readonly string DbPassword = "pg-password-" + Guid.NewGuid().ToString("N");
    private static readonly string Unlisted = "unlisted-value-" + Guid.NewGuid().ToString("N");

    private static string[] Secrets => [ClientSecret, AuthentikToken, BearerToken, DbPassword];

    /// <summary>The dashboard's environment as a deployment has it: secrets as environment variables.</summary>
    private static IDisposable DashboardEnvironment() => ProcessEnvironment.Set(new()
    {
        ["Oidc__ClientSecret"] = ClientSecret,
        ["Authentik__Token"] = AuthentikToken,
        ["Metrics__BearerToken"] = BearerToken,
        ["Database__ConnectionString"] = $"Host=db;Username=homeops;Password={DbPassword}",
        ["HOMEOPS_TEST_UNLISTED"] = Unlisted,
        ["HOMEOPS_TEST_PASSED"] = "passed-on-purpose",
        ["LC_HOMEOPS_TEST"] = "locale-like",
    });

    [Fact]
    public async Task A_step_process_inherits_only_the_allowlist_and_its_own_env()
    {
        using var env = DashboardEnvironment();
        using var dir = new TempDir();
        var lines = new List<OutputLine>();
        var result = await new LocalProcessRunner(inheritEnvironment: ["HOMEOPS_TEST_PASSED"]).RunAsync(
            new StepCommand(["/usr/bin/env"], new Dictionary<string, string?> { ["STEP_VAR"] = "from-the-step", ["HOME"] = null }, dir.Path, null),
            l => { lock (lines) lines.Add(l); }, Ct);
        Assert.Equal(0, result.ExitCode);
        var names = lines.Select(l => l.Text.Split('=', 2)[0]).ToHashSet(StringComparer.Ordinal);
        var all = string.Join("\n", lines.Select(l => l.Text));
        foreach (var secret in Secrets.Append(Unlisted)) Assert.DoesNotContain(secret, all);
        Assert.Contains("STEP_VAR=from-the-step", all);
        Assert.Contains("HOMEOPS_TEST_PASSED=passed-on-purpose", all);
        Assert.Contains("LC_HOMEOPS_TEST=locale-like", all);
        Assert.Contains("PATH", names);
        Assert.DoesNotContain("HOME", names); // a step's null removes an inherited variable
        // Nothing else: every variable is the allowlist's, the operator's extra one, or the step's.
        Assert.All(names, n => Assert.True(ChildEnvironment.IsInherited(n, new HashSet<string> { "HOMEOPS_TEST_PASSED" }) || n == "STEP_VAR", $"unexpected variable {n}"));
    }

    [Fact]
    public void A_secret_held_in_a_configured_file_is_masked_too()
    {
        // The station's 1Password token reaches OP_ACCOUNT steps from Operations:OnePasswordTokenFile: a step that prints
        // its environment must not store it.
        var token = "ops_" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        var path = Path.Combine(Path.GetTempPath(), "homeops-op-token-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, token + "\n");
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Operations:OnePasswordTokenFile"] = path,
            }).Build();
            var masker = SecretMasker.FromConfiguration(configuration);

            Assert.Equal($"OP_SERVICE_ACCOUNT_TOKEN={SecretMasker.Mask}", masker.Apply($"OP_SERVICE_ACCOUNT_TOKEN={token}"));
            Assert.True(SecretMasker.IsSecretFileKey("BreakGlass__TotpSecretFile"));
            Assert.True(SecretMasker.IsSecretFileKey("BreakGlass:PasswordHashFile"));
            Assert.False(SecretMasker.IsSecretFileKey("Operations:HomeOpsCheckoutFile"));
            Assert.False(SecretMasker.IsSecretFileKey("Auth:DataProtectionKeysPath"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Secret_keys_are_recognised_in_configuration_and_environment_form()
    {
        foreach (var key in (string[])["Oidc:ClientSecret", "Oidc__ClientSecret", "Authentik:Token", "Metrics:BearerToken", "Auth:AdminPassword",
                     "Database:ConnectionString", "ConnectionStrings:operations", "Push:VapidPrivateKey", "Foo:ApiKey"])
            Assert.True(SecretMasker.IsSecretKey(key), key);
        foreach (var key in (string[])["Auth:AccessTokenLifetime", "Operations:LeaseName", "Metrics:Port", "Oidc:ClientId", "PATH"])
            Assert.False(SecretMasker.IsSecretKey(key), key);
    }

    [Fact]
    public async Task A_step_that_prints_its_environment_and_echoes_secrets_leaks_nothing_to_the_database_the_stream_the_api_or_the_log()
    {
        using var env = DashboardEnvironment();
        await using var h = await EngineHarness.CreateAsync("""
            workflows:
              - id: test:leaky
                title: Prints its environment and secrets
                steps:
                  - {id: leak, title: Leak, argv: [/bin/sh, leak.sh], env: {STEP_VAR: from-the-step}}
            """);
        // The secrets reach the script from files, as a tool that reads a credential would print it.
        File.WriteAllText(h.Path("token.txt"), AuthentikToken);
        File.WriteAllText(h.Path("secret.txt"), ClientSecret);
        File.WriteAllText(h.Path("pg.txt"), DbPassword);
        File.WriteAllText(h.Path("leak.sh"), """
            env
            echo "token=$(cat token.txt) end"
            printf 'two:%s%s:glued\n' "$(cat token.txt)" "$(cat secret.txt)"
            echo "pg $(cat pg.txt)" >&2
            echo "failing with $(cat secret.txt)" >&2
            exit 3
            """);

        // The dashboard's configuration includes its environment; the masker is built from it as the DI registration does.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
            Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .Select(e => new KeyValuePair<string, string?>(((string)e.Key).Replace("__", ":"), e.Value as string))).Build();
        var masker = SecretMasker.FromConfiguration(configuration);
        var log = new CapturingLoggerProvider();
        await h.Engine.DisposeAsync();
        await using var engine = new WorkflowEngine(h.Catalog, h.Gates, new HomeOps.Operations.Gates.ClusterStoreStateSource(h.Store), h.Database, h.Audit, h.Lock,
            [new LocalProcessRunner()], h.Options, loggers: LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(LogLevel.Trace)), secrets: masker);
        await engine.InitializeAsync(Ct);

        var streamed = new List<string>();
        using var sub = engine.Events.SubscribeAll(e => { lock (streamed) streamed.Add(JsonSerializer.Serialize<object>(e)); });
        var r = await engine.TriggerAsync(new RunRequest("test:leaky", TestWorkflows.NoParameters, null), Actors.Operator(), Ct);
        Assert.True(r.Accepted, string.Join("; ", r.Problems));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        var view = (await engine.WaitUntilStoppedAsync(r.RunId!.Value, cts.Token))!;

        var stored = await h.StoredStepAsync(view.Id, 0);
        var api = JsonSerializer.Serialize(await engine.GetRunAsync(view.Id, Ct));
        string stream;
        lock (streamed) stream = string.Join("\n", streamed);
        var logged = log.Text;
        var places = new Dictionary<string, string> { ["database"] = stored.Output + stored.Message, ["stream"] = stream, ["api"] = api, ["log"] = logged };

        // The step did print: its own env, the masked lines, the exit.
        Assert.Contains("STEP_VAR=from-the-step", stored.Output);
        Assert.Contains("token=*** end", stored.Output);
        Assert.Contains("two:******:glued", stored.Output);
        Assert.Contains("pg ***", stored.Output);
        Assert.Contains("token=*** end", stream);
        Assert.Contains("token=*** end", api);
        foreach (var (place, text) in places)
        {
            foreach (var secret in Secrets) Assert.False(text.Contains(secret, StringComparison.Ordinal), $"a secret in the {place}");
            Assert.False(text.Contains(Unlisted, StringComparison.Ordinal), $"a non-allowlisted variable in the {place}");
            Assert.DoesNotContain("Oidc__ClientSecret", text);
            Assert.DoesNotContain("Authentik__Token", text);
        }
    }
}

/// <summary>Tests that change the process environment run one at a time and restore it.</summary>
public static class ProcessEnvironment
{
    public const string Collection = "process environment";

    public static IDisposable Set(Dictionary<string, string> values)
    {
        var before = values.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        foreach (var (k, v) in values) Environment.SetEnvironmentVariable(k, v);
        return new Restore(before);
    }

    private sealed class Restore(Dictionary<string, string?> before) : IDisposable
    {
        public void Dispose()
        {
            foreach (var (k, v) in before) Environment.SetEnvironmentVariable(k, v);
        }
    }
}

[CollectionDefinition(ProcessEnvironment.Collection, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection;

internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly System.Text.StringBuilder _text = new();

    public string Text { get { lock (_text) return _text.ToString(); } }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose() { }

    private sealed class Logger(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._text) owner._text.AppendLine(formatter(state, exception)).AppendLine(exception?.ToString());
        }
    }
}
