namespace HomeOps.Operations.Tests.Support;

/// <summary>Workflows for engine tests: fixed scripts in the fake checkout, run via argv ["/bin/sh", "script.sh", …].</summary>
public static class TestWorkflows
{
    public const string Yaml = """
        workflows:
          - id: test:three
            title: Three steps
            steps:
              - {id: one, title: One, argv: [/bin/sh, step.sh, one]}
              - {id: two, title: Two, argv: [/bin/sh, step.sh, two]}
              - {id: three, title: Three, argv: [/bin/sh, step.sh, three]}

          - id: test:force
            title: A step with a force command
            parameters:
              - {name: fresh, type: enum, values: ["no", "yes"], default: "no"}
            steps:
              - {id: clear, title: Clear, argv: [/bin/sh, step.sh, clear], when: {parameter: fresh, value: "yes"}}
              - {id: one, title: One, argv: [/bin/sh, step.sh, one], forceArgv: [/bin/sh, step.sh, force-one]}
              - {id: two, title: Two, argv: [/bin/sh, step.sh, two]}

          - id: test:partial
            title: A task that reports a partial result
            steps:
              - {id: reset, title: Reset, argv: [/bin/sh, -c, "echo '⚠ PARTIAL RESET SUCCESS'; echo '   - 2/3 nodes confirmed in maintenance mode'; exit 0"], partialWhenOutput: "PARTIAL RESET SUCCESS"}
              - {id: after, title: After, argv: [/bin/sh, step.sh, after]}

          - id: test:tree
            title: Spawns a child
            steps:
              - {id: tree, title: Tree, argv: [/bin/sh, tree.sh]}

          - id: test:slow
            title: Times out
            steps:
              - {id: slow, title: Slow, argv: [/bin/sh, step.sh, slow], timeout: 1s}

          - id: test:gated
            title: After-gate on mini02
            steps:
              - id: act
                title: Act
                argv: [/bin/sh, step.sh, act]
                gates:
                  after: [{gate: node-ready, args: {node: mini02}}]

          - id: test:before-gate
            title: Before-gate on all nodes
            steps:
              - id: act
                title: Act
                argv: [/bin/sh, step.sh, act]
                gates:
                  before: [{gate: nodes-ready, args: {count: "3"}}]
                  after: [{gate: bgp-peers-established}]

          - id: test:destructive
            title: Destructive
            destructive: true
            confirmation: {phrase: DO-IT}
            parameters:
              - {name: nodes, type: node-list, source: live-nodes, required: true}
            preflight: {targets: nodes, impact: restart, rolling: true}
            steps:
              - {id: act, title: Act, argv: [/bin/sh, step.sh, act]}
              - {id: each, title: Each node, forEach: nodes, argv: [/bin/sh, argv.sh, '{node}', '{node:ip}', 'NODES={nodes:ips}']}

          - id: test:argv
            title: Arguments
            parameters:
              - {name: version, type: string, required: true, pattern: "[A-Za-z0-9.:=+-]+"}
            steps:
              - {id: args, title: Args, argv: [/bin/sh, argv.sh, '{version}', 'VERSION={version}']}

          - id: test:noisy
            title: Noisy
            steps:
              - {id: noisy, title: Noisy, argv: [/bin/sh, noisy.sh]}

          - id: test:prompt
            title: Answers a prompt
            steps:
              - {id: ask, title: Ask, argv: [/bin/sh, prompt.sh], stdin: "y\n"}
        """;

    public static Dictionary<string, string?> NoParameters => new();

    public static Dictionary<string, string?> Nodes(string nodes) => new() { ["nodes"] = nodes };
}
