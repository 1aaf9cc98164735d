using HomeOps.Operations.Gates;
using HomeOps.Operations.Tests.Support;
using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Tests;

public class DefinitionLoaderTests
{
    private static readonly WorkflowLoader Loader = new(GateRegistry.CreateDefault());

    /// <summary>A one-step workflow with the given step body (YAML flow mapping entries).</summary>
    internal static string OneStep(string step, string extra = "") => $$"""
        workflows:
          - id: test:one
            title: One
            parameters:
              - {name: nodes, type: node-list, source: live-nodes, required: true}
              - {name: version, type: string, pattern: "v[0-9.]+"}
            {{extra}}
            steps:
              - {id: s, title: S, {{step}}}
        """;

    private static WorkflowDefinitionException Rejects(string yaml) =>
        Assert.Throws<WorkflowDefinitionException>(() => Loader.Parse(yaml, "test.yaml"));

    [Fact]
    public void A_valid_definition_loads()
    {
        var w = Assert.Single(Loader.Parse(OneStep("argv: [talosctl, version, --nodes, '{nodes:ips}'], timeout: 90s"), "test.yaml"));
        Assert.Equal(TimeSpan.FromSeconds(90), w.Steps[0].Timeout);
        Assert.Equal(".", w.Steps[0].WorkingDirectory);
        Assert.Equal("local", w.Steps[0].Runner);
    }

    [Theory]
    [InlineData("argv: [talosctl, '--nodes={nodes:ips}', version]", "splices a placeholder")]
    [InlineData("argv: [echo, 'reset {nodes}']", "splices a placeholder")]
    [InlineData("argv: ['{version}', x]", "must be a literal")]
    [InlineData("argv: [/bin/sh, -c, 'echo hi', '{version}']", "shell with -c")]
    [InlineData("argv: [echo, '{nope}']", "names no parameter")]
    [InlineData("argv: [echo, '{version:ips}']", "node-list")]
    [InlineData("argv: [echo, '{node}']", "only available in a forEach step")]
    [InlineData("argv: [echo], env: {X: 'pre-{version}'}", "env value")]
    [InlineData("argv: [echo], workingDirectory: /etc", "workingDirectory")]
    [InlineData("argv: [echo], workingDirectory: ../other", "workingDirectory")]
    [InlineData("argv: [echo], timeout: soon", "timeout")]
    [InlineData("argv: [echo], gates: {after: [{gate: nodes-readyy}]}", "unknown gate")]
    [InlineData("argv: [echo], gates: {after: [{gate: nodes-ready}]}", "needs argument 'count'")]
    [InlineData("argv: [echo], gates: {after: [{gate: nodes-ready, args: {count: many}}]}", "positive integer")]
    [InlineData("argv: [echo], forEach: version", "forEach must name a node-list")]
    [InlineData("argv: [echo], runner: ssh", "runner must be")]
    [InlineData("argv: [echo], timout: 5m", "timout")]
    public void Malformed_steps_are_rejected_with_a_reason(string step, string expected)
    {
        var ex = Rejects(OneStep(step));
        Assert.Contains(ex.Errors, e => e.Contains(expected, StringComparison.OrdinalIgnoreCase) && e.StartsWith("test.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void A_destructive_workflow_needs_a_confirmation_and_a_preflight()
    {
        var ex = Rejects(OneStep("argv: [echo]", "destructive: true"));
        Assert.Contains(ex.Errors, e => e.Contains("needs a confirmation"));
        Assert.Contains(ex.Errors, e => e.Contains("needs a preflight"));
    }

    [Fact]
    public void A_placeholder_as_a_whole_argument_or_a_whole_assignment_value_is_accepted()
    {
        var w = Assert.Single(Loader.Parse(OneStep("argv: [task, 'x:y', 'VERSION={version}', '{version}'], env: {V: '{version}', K: '{kubeconfig}'}"), "t"));
        Assert.Equal(4, w.Steps[0].Argv.Length);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var ex = Rejects("""
            workflows:
              - id: Bad Id
                steps:
                  - {id: a, title: A, argv: [echo, '{x}']}
                  - {id: a, title: A2, argv: [echo]}
            """);
        Assert.Contains(ex.Errors, e => e.Contains("id must match"));
        Assert.Contains(ex.Errors, e => e.Contains("title is required"));
        Assert.Contains(ex.Errors, e => e.Contains("{x} names no parameter"));
        Assert.True(ex.Errors.Count >= 3);
    }

    [Fact]
    public void Broken_yaml_names_the_file_and_line()
    {
        var ex = Rejects("workflows:\n  - id: [unclosed\n");
        Assert.StartsWith("test.yaml: line", ex.Errors[0]);
    }

    [Fact]
    public void An_override_directory_replaces_a_shipped_workflow_with_the_same_id_and_adds_new_ones()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("mine.yaml"), """
            workflows:
              - id: cluster:emergency-recovery
                title: Our own assessment
                steps:
                  - {id: look, title: Look, argv: [kubectl, get, nodes]}
              - id: ops:extra
                title: Extra
                steps:
                  - {id: x, title: X, argv: [flux, get, kustomizations]}
            """);
        var catalog = new WorkflowCatalog(GateRegistry.CreateDefault(), dir.Path);
        Assert.Equal("Our own assessment", catalog.Find(WorkflowIds.EmergencyRecovery)!.Title);
        Assert.Equal(dir.File("mine.yaml"), catalog.Find(WorkflowIds.EmergencyRecovery)!.Source);
        Assert.NotNull(catalog.Find("ops:extra"));
        Assert.Equal(new WorkflowCatalog(GateRegistry.CreateDefault()).All.Count + 1, catalog.All.Count); // one replaced, one added
    }

    [Fact]
    public void An_invalid_override_file_stops_the_catalog_from_loading()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("bad.yaml"), """
            workflows:
              - id: cluster:safe-reset
                title: Unsafe
                steps:
                  - {id: r, title: R, argv: [talosctl, reset, --nodes, 172.29.51.12]}
            """);
        var ex = Assert.Throws<WorkflowDefinitionException>(() => new WorkflowCatalog(GateRegistry.CreateDefault(), dir.Path));
        Assert.Contains(ex.Errors, e => e.StartsWith(dir.File("bad.yaml"), StringComparison.Ordinal) && e.Contains("--system-labels-to-wipe"));
    }

    [Fact]
    public void A_missing_override_directory_is_an_error_not_silently_ignored()
    {
        var ex = Assert.Throws<WorkflowDefinitionException>(() => new WorkflowCatalog(GateRegistry.CreateDefault(), "/nonexistent/homeops-defs"));
        Assert.Contains(ex.Errors, e => e.Contains("does not exist"));
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("1h30m", 5400)]
    [InlineData("00:02:00", 120)]
    public void Durations_parse(string text, int seconds)
    {
        Assert.True(Duration.TryParse(text, out var t));
        Assert.Equal(TimeSpan.FromSeconds(seconds), t);
    }
}
