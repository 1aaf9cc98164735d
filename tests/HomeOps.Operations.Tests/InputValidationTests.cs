using System.Collections.Immutable;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Guards;
using HomeOps.Operations.Tests.Support;
using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Tests;

public class InputValidationTests
{
    private static readonly WorkflowDefinition Def = new WorkflowLoader(GateRegistry.CreateDefault()).Parse("""
        workflows:
          - id: test:inputs
            title: Inputs
            parameters:
              - {name: nodes, type: node-list, source: live-nodes, required: true}
              - {name: target, type: node, source: live-nodes}
              - {name: version, type: string, pattern: "v[0-9]+(\\.[0-9]+)*"}
              - {name: mode, type: enum, values: [soft, hard], default: soft}
            steps:
              - {id: s, title: S, argv: [echo, '{nodes}']}
        """, "t")[0];

    private static IReadOnlyList<string> Validate(Dictionary<string, string?> input, out ValidatedParameters p) =>
        InputValidator.Validate(Def, input, ClusterBuilder.HomeOps().Build(), out p);

    [Theory]
    [InlineData("mini01;reboot")]
    [InlineData("$(reboot)")]
    [InlineData("mini01`id`")]
    [InlineData("mini01'")]
    [InlineData("\"mini01\"")]
    [InlineData("mini01 mini02")]
    [InlineData("mini01\nmini02")]
    [InlineData("MINI01")]
    [InlineData("-mini01")]
    [InlineData("mini01|tee")]
    [InlineData("../mini01")]
    public void Hostile_node_names_are_rejected(string hostile)
    {
        var problems = Validate(new() { ["nodes"] = hostile }, out _);
        var p = Assert.Single(problems);
        Assert.Contains("not a node name", p);
        Assert.DoesNotContain("\n", p); // printed escaped
    }

    [Fact]
    public void Only_nodes_from_the_live_list_are_accepted()
    {
        Assert.Contains("not in the live node list (mini01, mini02, mini03)", Assert.Single(Validate(new() { ["nodes"] = "mini04" }, out _)));
        Assert.Empty(Validate(new() { ["nodes"] = "mini03,mini01", ["target"] = "mini02" }, out var p));
        Assert.Equal(["mini03", "mini01"], p.Nodes("nodes"));
        Assert.Contains("listed twice", Assert.Single(Validate(new() { ["nodes"] = "mini01,mini01" }, out _)));
        Assert.Contains("empty node name", Assert.Single(Validate(new() { ["nodes"] = "mini01," }, out _)));
    }

    [Theory]
    [InlineData("v1;id", "';'")]
    [InlineData("v$(id)", "'$('")]
    [InlineData("v`id`", "backtick")]
    [InlineData("v1'", "quote")]
    [InlineData("v1 v2", "whitespace")]
    [InlineData("v1\nid", "newline")]
    public void Hostile_string_parameters_are_rejected_naming_the_character(string value, string named)
    {
        var p = Assert.Single(Validate(new() { ["nodes"] = "mini01", ["version"] = value }, out _));
        Assert.Contains("rejected", p);
        Assert.Contains(named, p);
    }

    [Fact]
    public void Strings_must_match_their_pattern_and_enums_their_values()
    {
        Assert.Empty(Validate(new() { ["nodes"] = "mini01", ["version"] = "v1.10.5" }, out var ok));
        Assert.Equal("soft", ok.Values["mode"]);
        Assert.Contains("does not match", Assert.Single(Validate(new() { ["nodes"] = "mini01", ["version"] = "1.10" }, out _)));
        Assert.Contains("not one of soft, hard", Assert.Single(Validate(new() { ["nodes"] = "mini01", ["mode"] = "rm" }, out _)));
        Assert.Contains("unknown parameter", Assert.Single(Validate(new() { ["nodes"] = "mini01", ["extra"] = "x" }, out _)));
        Assert.Contains("required", Assert.Single(Validate(new(), out _)));
    }

    [Fact]
    public void Confirmation_must_be_the_exact_phrase_or_exactly_the_node_names()
    {
        var catalog = new WorkflowCatalog(GateRegistry.CreateDefault());
        var reset = catalog.Find(WorkflowIds.SafeReset)!;
        var p = new ValidatedParameters(
            new Dictionary<string, string> { ["nodes"] = "mini02" }.ToImmutableDictionary(),
            new Dictionary<string, System.Collections.Immutable.ImmutableArray<string>> { ["nodes"] = ["mini02"] }.ToImmutableDictionary());
        Assert.Null(ConfirmationGuard.Check(reset, p, "SAFE-RESET"));
        Assert.NotNull(ConfirmationGuard.Check(reset, p, "safe-reset"));
        Assert.NotNull(ConfirmationGuard.Check(reset, p, ""));
        var reboot = catalog.Find(WorkflowIds.SafeReboot)!;
        var two = p with { NodeLists = new Dictionary<string, System.Collections.Immutable.ImmutableArray<string>> { ["nodes"] = ["mini02", "mini03"] }.ToImmutableDictionary() };
        Assert.Equal("mini02, mini03", ConfirmationGuard.Expected(reboot, two));
        Assert.Null(ConfirmationGuard.Check(reboot, two, "mini03 mini02"));
        Assert.NotNull(ConfirmationGuard.Check(reboot, two, "mini02"));
        Assert.NotNull(ConfirmationGuard.Check(reboot, two, "mini02, mini03, mini01"));
    }

    [Theory]
    [InlineData(WorkflowIds.SafeReset, "SAFE-RESET")]
    [InlineData(WorkflowIds.SafeReset, "  SAFE-RESET ")]
    [InlineData(WorkflowIds.SafeReset, "safe-reset")]
    [InlineData(WorkflowIds.SafeReset, "SAFE-RESET!")]
    [InlineData(WorkflowIds.SafeReset, "")]
    [InlineData(WorkflowIds.SafeReset, null)]
    [InlineData(WorkflowIds.SafeReboot, "mini02, mini03")]
    [InlineData(WorkflowIds.SafeReboot, "mini03 mini02")]
    [InlineData(WorkflowIds.SafeReboot, "mini03,mini02")]
    [InlineData(WorkflowIds.SafeReboot, "mini02")]
    [InlineData(WorkflowIds.SafeReboot, "mini02, mini03, mini01")]
    [InlineData(WorkflowIds.SafeReboot, "mini02 mini02")]
    [InlineData(WorkflowIds.SafeReboot, "MINI02, mini03")]
    [InlineData(WorkflowIds.SafeReboot, "   ")]
    public void The_dialogs_rule_and_the_engines_check_are_one_rule(string workflow, string? typed)
    {
        var definition = new WorkflowCatalog(GateRegistry.CreateDefault()).Find(workflow)!;
        var p = new ValidatedParameters(
            new Dictionary<string, string> { ["nodes"] = "mini02,mini03" }.ToImmutableDictionary(),
            new Dictionary<string, System.Collections.Immutable.ImmutableArray<string>> { ["nodes"] = ["mini02", "mini03"] }.ToImmutableDictionary());
        var byNodeNames = definition.Confirmation!.Phrase is null;

        var dialogEnables = ConfirmationGuard.Matches(ConfirmationGuard.Expected(definition, p), typed, byNodeNames);
        var engineAccepts = ConfirmationGuard.Check(definition, p, typed) is null;

        Assert.Equal(engineAccepts, dialogEnables);
    }

    [Fact]
    public void Step_up_needs_a_recent_sign_in()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Null(RunGuards.StepUp(Actors.Operator(), now, TimeSpan.FromMinutes(5)));
        Assert.Contains("step-up", RunGuards.StepUp(Actors.StaleOperator(), now, TimeSpan.FromMinutes(5)));
        Assert.Contains("auth_time", RunGuards.StepUp(Actors.Operator() with { AuthTime = null }, now, TimeSpan.FromMinutes(5)));
    }
}
