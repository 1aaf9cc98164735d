using HomeOps.Cluster.State;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Guards;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Engine;

/// <summary>
/// Expands a definition with validated parameters into concrete step instances: forEach steps become one instance per
/// node, placeholders become whole arguments, node names become their live IPv4 addresses, and every resolved command
/// passes the safety policy again.
/// </summary>
internal sealed class RunPlanner(OperationsOptions options)
{
    public sealed record Planned(List<StepRecord> Steps, StoredParameters Parameters);

    public Planned? Plan(WorkflowDefinition def, IReadOnlyDictionary<string, string?> input, ValidatedParameters parameters, ClusterState state, List<string> problems)
    {
        var ips = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in parameters.NodeLists.Values.SelectMany(n => n).Distinct(StringComparer.Ordinal))
        {
            var snapshot = GateData.FindNode(state, node);
            var ip = snapshot is null ? null : GateData.InternalIPv4(snapshot);
            if (ip is null) problems.Add($"node {node} has no IPv4 InternalIP in its status: its Talos endpoint cannot be addressed");
            else ips[node] = ip;
        }
        if (problems.Count > 0) return null;

        var steps = new List<StepRecord>();
        var ordinal = 0;
        foreach (var step in def.Steps)
        {
            // A conditional step is planned only when its enum parameter has the value (e.g. after-reset=yes).
            if (step.When is { } when && parameters.Values.GetValueOrDefault(when.Parameter) != when.Value) continue;
            var items = step.ForEach is null ? [null] : parameters.Nodes(step.ForEach).Select(n => (string?)n).ToList();
            if (step.ForEach is not null && items.Count == 0) problems.Add($"step '{step.Id}': no nodes chosen for forEach '{step.ForEach}'");
            foreach (var item in items)
            {
                var where = item is null ? $"step '{step.Id}'" : $"step '{step.Id}' for {item}";
                var plan = PlanStep(step, parameters, ips, item, where, problems);
                if (plan is null) continue;
                steps.Add(new StepRecord
                {
                    Ordinal = ordinal++,
                    StepId = step.Id,
                    Item = item,
                    Title = item is null ? step.Title : $"{step.Title} — {item}",
                    PlanJson = EngineJson.Write(plan),
                    Status = StepStatus.Pending,
                });
            }
        }
        if (problems.Count > 0) return null;
        var stored = new StoredParameters(
            input.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
            parameters.Values.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
            parameters.NodeLists.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal),
            ips);
        return new Planned(steps, stored);
    }

    private StepPlan? PlanStep(StepDefinition step, ValidatedParameters p, Dictionary<string, string> ips, string? item, string where, List<string> problems)
    {
        var before = problems.Count;

        string? Resolve(PlaceholderToken t)
        {
            if (t.Name == Placeholders.LoopVariable && item is not null)
                return t.Format == PlaceholderFormat.Ip ? ips.GetValueOrDefault(item) : item;
            if (Placeholders.BuiltIns.Contains(t.Name))
                return t.Name switch
                {
                    "checkout" => options.HomeOpsCheckout,
                    Placeholders.RecoveredKubeconfig => Path.Combine(Path.GetFullPath(options.DataDirectory), "recovered", "kubeconfig"),
                    _ => options.Variables.GetValueOrDefault(t.Name),
                };
            return t.Format switch
            {
                PlaceholderFormat.Ips => p.NodeLists.TryGetValue(t.Name, out var list) ? string.Join(",", list.Select(n => ips.GetValueOrDefault(n) ?? "")) : null,
                PlaceholderFormat.Ip => p.NodeLists.TryGetValue(t.Name, out var one) && one.Length == 1 ? ips.GetValueOrDefault(one[0]) : null,
                _ => p.Values.GetValueOrDefault(t.Name),
            };
        }

        var argv = new List<string>();
        foreach (var a in step.Argv)
        {
            switch (Placeholders.ClassifyArgument(a))
            {
                case ValueShape.Literal l: argv.Add(l.Text); break;
                case ValueShape.Whole w:
                    if (Resolve(w.Token) is { Length: > 0 } v) argv.Add(v);
                    else problems.Add($"{where}: {w.Token} has no value (an empty argument could change what the command does)");
                    break;
                case ValueShape.Assignment asg:
                    if (Resolve(asg.Token) is { Length: > 0 } av) argv.Add($"{asg.Key}={av}");
                    else problems.Add($"{where}: {asg.Key}={asg.Token} has no value");
                    break;
                case ValueShape.Invalid inv: problems.Add($"{where}: {inv.Reason}"); break;
            }
        }

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in step.Env)
        {
            switch (Placeholders.ClassifyEnvValue(value))
            {
                case ValueShape.Literal l: env[key] = l.Text; break;
                case ValueShape.Whole w:
                    var v = Resolve(w.Token);
                    if (v is { Length: > 0 }) env[key] = v;
                    else if (Placeholders.BuiltIns.Contains(w.Token.Name)) { /* not configured: inherit the process environment */ }
                    else problems.Add($"{where}: env {key}={w.Token} has no value");
                    break;
                case ValueShape.Invalid inv: problems.Add($"{where}: {inv.Reason}"); break;
            }
        }

        List<PlannedGate> Gates(IEnumerable<GateReference> refs)
        {
            var list = new List<PlannedGate>();
            foreach (var g in refs)
            {
                var args = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (k, v) in g.Args)
                {
                    if (Placeholders.ClassifyGateArg(v) is ValueShape.Whole w)
                    {
                        if (Resolve(w.Token) is { Length: > 0 } rv) args[k] = rv;
                        else problems.Add($"{where}: gate {g.Name} argument {k}={w.Token} has no value");
                    }
                    else args[k] = v;
                }
                list.Add(new PlannedGate(g.Name, args, g.Wait, g.Advisory));
            }
            return list;
        }

        var plan = new StepPlan(argv, env, step.WorkingDirectory, step.Stdin, step.Timeout, Gates(step.Before), Gates(step.After), step.Runner, step.Description, step.Caveats,
            step.ForceArgv.IsDefaultOrEmpty ? null : step.ForceArgv, step.PartialWhenOutput,
            step.Secrets.IsDefaultOrEmpty ? null : step.Secrets);
        foreach (var problem in CommandSafetyPolicy.Check(plan.Argv, plan.Env, resolved: true)) problems.Add($"{where}: {problem}");
        if (plan.ForceArgv is { } forceArgv) foreach (var problem in CommandSafetyPolicy.Check(forceArgv, plan.Env, resolved: true)) problems.Add($"{where}: forceArgv: {problem}");
        return problems.Count > before ? null : plan;
    }
}
