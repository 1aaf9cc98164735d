using HomeOps.Operations.Engine;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Runners;
using HomeOps.Operations.Tests.Support;
using HomeOps.Operations.Workflows;
using Microsoft.Extensions.Configuration;

namespace HomeOps.Operations.Tests;

/// <summary>
/// Issue 14, the operator station: the mounted 1Password service-account token (Operations:OnePasswordTokenFile, a
/// compose secret) reaches a step as OP_SERVICE_ACCOUNT_TOKEN only when its definition opts in with
/// <c>secrets: [onepassword]</c> — read from the file at step start, never from the dashboard's own environment, never in
/// any other step's process (not even one that names OP_ACCOUNT, or asks for the variable by name), and masked wherever the
/// step's output is stored.
/// </summary>
[Collection(ProcessEnvironment.Collection)]
public sealed class OnePasswordTokenTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Probe = "if [ -n \"${OP_SERVICE_ACCOUNT_TOKEN:-}\" ]; then echo \"token:${#OP_SERVICE_ACCOUNT_TOKEN}\"; else echo none; fi";

    private static async Task<List<string>> RunAsync(TempDir dir, string? tokenFile, Dictionary<string, string?> env, string[] secrets,
        IEnumerable<string>? inherit = null)
    {
        var lines = new List<string>();
        var result = await new LocalProcessRunner(inheritEnvironment: inherit, onePasswordTokenFile: tokenFile).RunAsync(
            new StepCommand(["/bin/sh", "-c", Probe], env, dir.Path, null) { Secrets = secrets }, l => { lock (lines) lines.Add(l.Text); }, Ct);
        Assert.True(result.Succeeded, result.Error);
        return lines;
    }

    [Fact]
    public async Task Only_a_step_that_opted_in_gets_the_token_from_the_file()
    {
        using var dir = new TempDir();
        var file = dir.File("op-token");
        await File.WriteAllTextAsync(file, "ops_abcdefghij\n", Ct);

        Assert.Equal(["token:14"], await RunAsync(dir, file, [], [StepSecrets.OnePassword]));
        // Naming a 1Password account is not an opt-in: the bootstrap phases read OP_ACCOUNT from the checkout's .env.
        Assert.Equal(["none"], await RunAsync(dir, file, new() { ["OP_ACCOUNT"] = "home" }, []));
        Assert.Equal(["none"], await RunAsync(dir, file, new() { ["TALOSCONFIG"] = "x" }, []));
        // Opted in, but the host has no token: nothing to pass (the step needs a signed-in op of its own).
        Assert.Equal(["none"], await RunAsync(dir, tokenFile: null, [], [StepSecrets.OnePassword]));
    }

    [Fact]
    public async Task A_step_without_the_opt_in_cannot_get_the_token_from_the_dashboards_environment_either()
    {
        using var dir = new TempDir();
        var file = dir.File("op-token");
        await File.WriteAllTextAsync(file, "ops_from-the-file\n", Ct);
        // Someone put the token in the dashboard's environment and listed it in Operations:InheritEnvironment.
        using var env = ProcessEnvironment.Set(new() { ["OP_SERVICE_ACCOUNT_TOKEN"] = "ops_inherited-1234" });

        Assert.Equal(["none"], await RunAsync(dir, file, [], [], inherit: ["OP_SERVICE_ACCOUNT_TOKEN"]));
        Assert.Equal(["none"], await RunAsync(dir, file, new() { ["OP_SERVICE_ACCOUNT_TOKEN"] = "ops_named-in-env" }, []));
        // The opted-in step gets the file's token, not the inherited one (17 characters).
        Assert.Equal(["token:17"], await RunAsync(dir, file, [], [StepSecrets.OnePassword], inherit: ["OP_SERVICE_ACCOUNT_TOKEN"]));
    }

    [Fact]
    public async Task A_missing_token_file_fails_an_opted_in_step_with_a_clear_message_that_names_the_setting_not_the_token()
    {
        using var dir = new TempDir();
        var result = await new LocalProcessRunner(onePasswordTokenFile: dir.File("absent")).RunAsync(
            new StepCommand(["/bin/sh", "-c", "true"], new Dictionary<string, string?>(), dir.Path, null) { Secrets = [StepSecrets.OnePassword] }, _ => { }, Ct);
        Assert.False(result.Succeeded);
        Assert.Contains("Operations:OnePasswordTokenFile", result.Error);
        // A step that did not opt in never reads the file, so the missing file does not fail it.
        var other = await new LocalProcessRunner(onePasswordTokenFile: dir.File("absent")).RunAsync(
            new StepCommand(["/bin/sh", "-c", "true"], new Dictionary<string, string?> { ["OP_ACCOUNT"] = "home" }, dir.Path, null), _ => { }, Ct);
        Assert.True(other.Succeeded, other.Error);
    }

    [Fact]
    public void Secrets_names_only_known_secrets_on_a_step_that_runs_something()
    {
        var loader = new WorkflowLoader(GateRegistry.CreateDefault());
        var ok = Assert.Single(loader.Parse(DefinitionLoaderTests.OneStep("argv: [task, x], secrets: [onepassword]"), "test.yaml"));
        Assert.Equal([StepSecrets.OnePassword], ok.Steps[0].Secrets);
        Assert.True(Assert.Single(loader.Parse(DefinitionLoaderTests.OneStep("argv: [task, x]"), "test.yaml")).Steps[0].Secrets.IsDefaultOrEmpty);
        var unknown = Assert.Throws<WorkflowDefinitionException>(() => loader.Parse(DefinitionLoaderTests.OneStep("argv: [task, x], secrets: [github]"), "test.yaml"));
        Assert.Contains("'github' is not one of onepassword", unknown.Message);
        var checkOnly = Assert.Throws<WorkflowDefinitionException>(() => loader.Parse(
            DefinitionLoaderTests.OneStep("secrets: [onepassword], gates: {after: [{gate: nodes-ready, args: {count: '3'}}]}"), "test.yaml"));
        Assert.Contains("secrets needs an argv", checkOnly.Message);
    }

    [Fact]
    public void The_shipped_steps_that_run_op_opt_in_and_no_other_step_does()
    {
        // From the real taskfiles: phase 1 (validation:environment: op account list / vault list / item get), phase 2
        // (talos:bootstrap-secrets), phase 4 (services:deploy-onepassword-connect), phase 5 (gitops:bootstrap-flux-github:
        // op read), and cluster:recover (talos:restore-secrets). Phases 3 and 6, the reset, reboots, etcd: no op.
        var catalog = new WorkflowCatalog(GateRegistry.CreateDefault());
        var opted = catalog.All.SelectMany(w => w.Steps.Where(s => !s.Secrets.IsDefaultOrEmpty).Select(s => $"{w.Id}/{s.Id}")).ToList();
        Assert.Equal(["bootstrap:phased/phase-1", "bootstrap:phased/phase-2", "bootstrap:phased/phase-4", "bootstrap:phased/phase-5", "cluster:recover/recover"], opted);
        Assert.All(catalog.All.SelectMany(w => w.Steps).Where(s => !s.Secrets.IsDefaultOrEmpty), s => Assert.Equal([StepSecrets.OnePassword], s.Secrets));
    }

    [Fact]
    public async Task Through_the_engine_the_opted_in_step_gets_the_token_the_other_does_not_and_the_stored_output_masks_it()
    {
        using var dir = new TempDir();
        var token = "ops_" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        var file = dir.File("op-token");
        await File.WriteAllTextAsync(file, token + "\n", Ct);
        await using var h = await EngineHarness.CreateAsync("""
            workflows:
              - id: test:op
                title: One step runs op, one does not
                steps:
                  - {id: with-op, title: With op, argv: [/bin/sh, printenv.sh], env: {OP_ACCOUNT: home}, secrets: [onepassword]}
                  - {id: without, title: Without, argv: [/bin/sh, printenv.sh], env: {OP_ACCOUNT: home}}
            """);
        File.WriteAllText(h.Path("printenv.sh"), """
            echo "OP_SERVICE_ACCOUNT_TOKEN=${OP_SERVICE_ACCOUNT_TOKEN:-<unset>}"
            echo "length ${#OP_SERVICE_ACCOUNT_TOKEN}"
            """);
        // The masker and the runner as the dashboard builds them from its configuration.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Operations:OnePasswordTokenFile"] = file,
        }).Build();
        await h.Engine.DisposeAsync();
        await using var engine = new WorkflowEngine(h.Catalog, h.Gates, new ClusterStoreStateSource(h.Store), h.Database, h.Audit, h.Lock,
            [new LocalProcessRunner(onePasswordTokenFile: file)], h.Options, secrets: SecretMasker.FromConfiguration(configuration));
        await engine.InitializeAsync(Ct);

        var r = await engine.TriggerAsync(new RunRequest("test:op", TestWorkflows.NoParameters, null), Actors.Operator(), Ct);
        Assert.True(r.Accepted, string.Join("; ", r.Problems));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        var view = (await engine.WaitUntilStoppedAsync(r.RunId!.Value, cts.Token))!;
        Assert.Equal(RunStatus.Succeeded, view.Status);

        var withOp = await h.StoredStepAsync(view.Id, 0);
        var without = await h.StoredStepAsync(view.Id, 1);
        Assert.Contains($"OP_SERVICE_ACCOUNT_TOKEN={SecretMasker.Mask}", withOp.Output);   // it had it, and it is masked
        Assert.Contains($"length {token.Length}", withOp.Output);
        Assert.Contains("[secrets onepassword]", withOp.Output);                         // the log says which step got what
        Assert.Contains("OP_SERVICE_ACCOUNT_TOKEN=<unset>", without.Output);
        Assert.Contains("length 0", without.Output);
        Assert.DoesNotContain("[secrets", without.Output);
        var api = System.Text.Json.JsonSerializer.Serialize(await engine.GetRunAsync(view.Id, Ct));
        foreach (var (place, text) in new[] { ("stored output", withOp.Output + without.Output), ("api", api) })
            Assert.False(text.Contains(token, StringComparison.Ordinal), $"the token in the {place}");
    }
}
