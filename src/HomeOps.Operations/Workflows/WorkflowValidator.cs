using System.Collections.Immutable;
using System.Text.RegularExpressions;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Guards;

namespace HomeOps.Operations.Workflows;

/// <summary>
/// Turns a raw YAML workflow into a <see cref="WorkflowDefinition"/>, collecting every problem instead of stopping at
/// the first, so that an operator fixing an override file sees all of them at once.
/// </summary>
internal sealed partial class WorkflowValidator(GateRegistry gates)
{
    public static readonly IReadOnlySet<string> Runners = new HashSet<string>(StringComparer.Ordinal) { "local", "kubernetes-job" };

    private static readonly HashSet<string> Shells = new(StringComparer.Ordinal) { "sh", "bash", "dash", "zsh", "ash", "ksh", "fish" };

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);

    [GeneratedRegex(@"^[a-z0-9][a-z0-9:._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdRegex();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterNameRegex();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvKeyRegex();

    public WorkflowDefinition? Convert(WorkflowYaml y, string source, List<string> errors)
    {
        var where = $"{source}: workflow '{y.Id ?? "?"}'";
        var before = errors.Count;
        void Err(string message) => errors.Add($"{where}: {message}");

        if (string.IsNullOrWhiteSpace(y.Id) || !IdRegex().IsMatch(y.Id)) Err("id must match ^[a-z0-9][a-z0-9:._-]*$");
        if (string.IsNullOrWhiteSpace(y.Title)) Err("title is required");
        var destructive = y.Destructive ?? false;

        var parameters = ConvertParameters(y.Parameters ?? [], Err);
        var byName = parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);

        ConfirmationDefinition? confirmation = null;
        if (y.Confirmation is { } c)
        {
            var hasPhrase = !string.IsNullOrWhiteSpace(c.Phrase);
            var hasNodes = !string.IsNullOrWhiteSpace(c.NodeNames);
            if (hasPhrase == hasNodes) Err("confirmation needs exactly one of phrase or nodeNames");
            if (hasNodes && (!byName.TryGetValue(c.NodeNames!, out var p) || !p.IsNodeKind))
                Err($"confirmation.nodeNames must name a node or node-list parameter, got '{c.NodeNames}'");
            confirmation = new ConfirmationDefinition(hasPhrase ? c.Phrase!.Trim() : null, hasNodes ? c.NodeNames : null);
        }
        if (destructive && confirmation is null) Err("a destructive workflow needs a confirmation (phrase or nodeNames)");

        PreflightDefinition? preflight = null;
        if (y.Preflight is { } pf)
        {
            var impact = (pf.Impact ?? "none").ToLowerInvariant() switch
            {
                "none" => PreflightImpact.None,
                "restart" => PreflightImpact.Restart,
                "wipe" => PreflightImpact.Wipe,
                var other => Fail(other),
            };
            PreflightImpact Fail(string other) { Err($"preflight.impact must be none, restart or wipe, got '{other}'"); return PreflightImpact.None; }
            if (pf.Targets is not null && (!byName.TryGetValue(pf.Targets, out var tp) || !tp.IsNodeKind))
                Err($"preflight.targets must name a node or node-list parameter, got '{pf.Targets}'");
            if (impact != PreflightImpact.None && pf.Targets is null) Err("preflight.targets is required when impact is restart or wipe");
            if (pf.FullCluster is { } fc)
            {
                if (fc.Parameter is null || !byName.TryGetValue(fc.Parameter, out var fp) || fp.Type != ParameterType.Enum || fc.Value is null || !fp.Values.Contains(fc.Value))
                    Err("preflight.fullCluster must name an enum parameter and one of its values");
            }
            preflight = new PreflightDefinition(pf.Targets, impact, pf.Rolling ?? false, pf.FullCluster?.Parameter, pf.FullCluster?.Value,
                [.. (pf.Warnings ?? []).Select(t => t.Trim()).Where(t => t.Length > 0)]);
        }
        if (destructive && preflight is null) Err("a destructive workflow needs a preflight block (targets and impact)");

        var steps = new List<StepDefinition>();
        var stepIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in y.Steps ?? [])
        {
            var step = ConvertStep(s, byName, Err);
            if (step is null) continue;
            if (!stepIds.Add(step.Id)) Err($"duplicate step id '{step.Id}'");
            steps.Add(step);
        }
        if (steps.Count == 0 && errors.Count == before) Err("at least one step is required");

        RunsOnDefinition? runsOn = null;
        if (y.RunsOn is { } ro)
        {
            var location = ro.Where switch
            {
                "both" => RunLocation.Both,
                "station" => RunLocation.Station,
                "in-cluster" => RunLocation.InCluster,
                var other => FailWhere(other),
            };
            RunLocation FailWhere(string? other) { Err($"runsOn.where must be both, station or in-cluster, got '{other}'"); return RunLocation.Both; }
            StepCondition? stationOnlyWhen = null;
            if (ro.StationOnlyWhen is { } sw)
            {
                if (sw.Parameter is null || !byName.TryGetValue(sw.Parameter, out var sp) || sp.Type != ParameterType.Enum || sw.Value is null || !sp.Values.Contains(sw.Value))
                    Err("runsOn.stationOnlyWhen must name an enum parameter and one of its values");
                else if (location != RunLocation.Both) Err("runsOn.stationOnlyWhen applies only to where: both");
                else stationOnlyWhen = new StepCondition(sw.Parameter, sw.Value);
            }
            string? ownNodeIn = null;
            if (ro.StationOnlyForOwnNodeIn is { } on)
            {
                if (!byName.TryGetValue(on, out var np) || !np.IsNodeKind)
                    Err($"runsOn.stationOnlyForOwnNodeIn must name a node or node-list parameter, got '{on}'");
                else if (location != RunLocation.Both) Err("runsOn.stationOnlyForOwnNodeIn applies only to where: both");
                else ownNodeIn = on;
            }
            runsOn = new RunsOnDefinition(location, (ro.Why ?? "").Trim(), stationOnlyWhen, ownNodeIn);
        }

        if (errors.Count > before) return null;
        return new WorkflowDefinition(
            y.Id!, y.Title!.Trim(), (y.Description ?? "").Trim(), (y.Category ?? "operations").Trim(), destructive, confirmation,
            [.. parameters], [.. (y.Caveats ?? []).Select(t => t.Trim()).Where(t => t.Length > 0)], preflight, [.. steps], source, runsOn);
    }

    private List<ParameterDefinition> ConvertParameters(List<ParameterYaml> raw, Action<string> err)
    {
        var list = new List<ParameterDefinition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in raw)
        {
            var name = p.Name ?? "";
            if (!ParameterNameRegex().IsMatch(name)) { err($"parameter name '{name}' must match ^[A-Za-z][A-Za-z0-9_-]*$"); continue; }
            if (Placeholders.BuiltIns.Contains(name) || name == Placeholders.LoopVariable) { err($"parameter name '{name}' is reserved"); continue; }
            if (!names.Add(name)) { err($"duplicate parameter '{name}'"); continue; }
            ParameterType? type = (p.Type ?? "").ToLowerInvariant() switch
            {
                "node-list" => ParameterType.NodeList,
                "node" => ParameterType.Node,
                "string" => ParameterType.String,
                "enum" => ParameterType.Enum,
                _ => null,
            };
            if (type is null) { err($"parameter '{name}': type must be node-list, node, string or enum, got '{p.Type}'"); continue; }
            var isNode = type is ParameterType.Node or ParameterType.NodeList;
            if (isNode && p.Source != "live-nodes") err($"parameter '{name}': node parameters must have source: live-nodes");
            if (!isNode && p.Source is not null) err($"parameter '{name}': only node parameters take a source");
            var values = (p.Values ?? []).ToImmutableArray();
            if (type == ParameterType.Enum && values.IsEmpty) err($"parameter '{name}': enum needs values");
            foreach (var v in values.Where(v => !InputValidator.IsSafeToken(v))) err($"parameter '{name}': enum value '{v}' has characters outside the safe set");
            if (p.Pattern is not null)
            {
                try { _ = new Regex(p.Pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)); }
                catch (ArgumentException ex) { err($"parameter '{name}': pattern does not compile: {ex.Message}"); }
            }
            if (p.Default is not null && type == ParameterType.Enum && !values.Contains(p.Default))
                err($"parameter '{name}': default '{p.Default}' is not one of its values");
            list.Add(new ParameterDefinition(name, type.Value, p.Source, p.Required ?? false, p.Pattern, values, p.Default, p.Description));
        }
        return list;
    }

    private StepDefinition? ConvertStep(StepYaml s, IReadOnlyDictionary<string, ParameterDefinition> parameters, Action<string> workflowErr)
    {
        var id = s.Id ?? "";
        void Err(string m) => workflowErr($"step '{(id.Length > 0 ? id : "?")}': {m}");
        var failed = false;
        void E(string m) { failed = true; Err(m); }

        if (!IdRegex().IsMatch(id)) E("id must match ^[a-z0-9][a-z0-9:._-]*$");
        if (string.IsNullOrWhiteSpace(s.Title)) E("title is required");

        string? forEach = null;
        if (s.ForEach is not null)
        {
            if (!parameters.TryGetValue(s.ForEach, out var fp) || fp.Type != ParameterType.NodeList)
                E($"forEach must name a node-list parameter, got '{s.ForEach}'");
            forEach = s.ForEach;
        }

        bool KnownName(PlaceholderToken t, out string? problem)
        {
            problem = null;
            if (t.Name == Placeholders.LoopVariable)
            {
                if (forEach is null) problem = $"{t} is only available in a forEach step";
                else if (t.Format == PlaceholderFormat.Ips) problem = $"{t}: use {{node:ip}} for the loop node";
                return problem is null;
            }
            if (Placeholders.BuiltIns.Contains(t.Name))
            {
                if (t.Format != PlaceholderFormat.Value) problem = $"{t}: built-in variables take no format";
                return problem is null;
            }
            if (!parameters.TryGetValue(t.Name, out var p)) { problem = $"{t} names no parameter"; return false; }
            if (t.Format == PlaceholderFormat.Ips && p.Type != ParameterType.NodeList) problem = $"{t}: ':ips' needs a node-list parameter";
            if (t.Format == PlaceholderFormat.Ip && p.Type != ParameterType.Node) problem = $"{t}: ':ip' needs a node parameter";
            return problem is null;
        }

        var argv = (s.Argv ?? []).ToImmutableArray();
        var anyPlaceholder = false;
        for (var i = 0; i < argv.Length; i++)
        {
            var shape = Placeholders.ClassifyArgument(argv[i]);
            switch (shape)
            {
                case ValueShape.Invalid inv: E(inv.Reason); break;
                case ValueShape.Whole w when i == 0: E($"the program (argv[0]) must be a literal, not {w.Token}"); break;
                case ValueShape.Whole w: anyPlaceholder = true; if (!KnownName(w.Token, out var p1)) E(p1!); break;
                case ValueShape.Assignment a: anyPlaceholder = true; if (!KnownName(a.Token, out var p2)) E(p2!); break;
            }
        }
        if (argv.Length > 0 && argv[0].Trim().Length == 0) E("argv[0] is empty");
        if (argv.Length > 0 && Shells.Contains(Path.GetFileName(argv[0])) && argv.Contains("-c") && anyPlaceholder)
            E("a shell with -c must not receive placeholders: input would become part of a command string");

        var env = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in s.Env ?? [])
        {
            if (!EnvKeyRegex().IsMatch(key)) { E($"env key '{key}' is not a valid variable name"); continue; }
            var v = value ?? "";
            switch (Placeholders.ClassifyEnvValue(v))
            {
                case ValueShape.Invalid inv: E(inv.Reason); break;
                case ValueShape.Whole w: if (!KnownName(w.Token, out var p)) E(p!); break;
            }
            env[key] = v;
        }

        var wd = (s.WorkingDirectory ?? ".").Trim();
        if (wd.Length == 0) wd = ".";
        if (Path.IsPathRooted(wd) || wd.Split('/', '\\').Contains("..") || wd.Contains('{'))
            E($"workingDirectory must be relative to the home-ops checkout without '..', got '{wd}'");

        var timeout = DefaultTimeout;
        if (s.Timeout is not null && (!Duration.TryParse(s.Timeout, out timeout) || timeout <= TimeSpan.Zero || timeout > MaxDuration))
            E($"timeout '{s.Timeout}' must be a duration between 1ms and 24h (e.g. 90s, 10m, 1h30m)");

        var runner = s.Runner ?? "local";
        if (!Runners.Contains(runner)) E($"runner must be one of {string.Join(", ", Runners)}, got '{runner}'");

        ImmutableArray<GateReference> Gates(List<GateYaml>? raw, string phase)
        {
            var list = ImmutableArray.CreateBuilder<GateReference>();
            foreach (var g in raw ?? [])
            {
                var name = g.Gate ?? "";
                var args = (g.Args ?? []).ToImmutableDictionary(kv => kv.Key, kv => kv.Value ?? "", StringComparer.Ordinal);
                foreach (var problem in gates.Validate(name, args)) E($"{phase} gate: {problem}");
                foreach (var (k, v) in args)
                {
                    switch (Placeholders.ClassifyGateArg(v))
                    {
                        case ValueShape.Invalid inv: E($"{phase} gate '{name}' argument '{k}': {inv.Reason}"); break;
                        case ValueShape.Whole w: if (!KnownName(w.Token, out var p)) E($"{phase} gate '{name}' argument '{k}': {p}"); break;
                    }
                }
                var wait = TimeSpan.Zero;
                if (g.Wait is not null && (!Duration.TryParse(g.Wait, out wait) || wait < TimeSpan.Zero || wait > MaxDuration))
                    E($"{phase} gate '{name}': wait '{g.Wait}' is not a valid duration");
                list.Add(new GateReference(name, args, wait, g.Advisory ?? false));
            }
            return list.ToImmutable();
        }

        var before = Gates(s.Gates?.Before, "before");
        var after = Gates(s.Gates?.After, "after");
        if (argv.IsEmpty && before.IsEmpty && after.IsEmpty) E("a step needs an argv or at least one gate");

        foreach (var problem in CommandSafetyPolicy.Check(argv, env.ToImmutable(), resolved: false)) E(problem);

        StepCondition? when = null;
        if (s.When is not null)
        {
            if (s.When.Parameter is not { } wp || !parameters.TryGetValue(wp, out var whenParam) || whenParam.Type != ParameterType.Enum)
                E($"when must name an enum parameter, got '{s.When.Parameter}'");
            else if (s.When.Value is not { } wv || !whenParam.Values.Contains(wv, StringComparer.Ordinal))
                E($"when: '{s.When.Value}' is not one of {string.Join(", ", whenParam.Values)}");
            else when = new StepCondition(wp, wv);
        }

        // forceArgv: what a forced re-run runs instead (a phase whose status would skip it, e.g. bootstrap:force-phase).
        var forceArgv = (s.ForceArgv ?? []).ToImmutableArray();
        if (!forceArgv.IsEmpty)
        {
            if (argv.IsEmpty) E("forceArgv needs an argv (a check-only step has nothing to force)");
            if (forEach is not null) E("forceArgv is not allowed on a forEach step");
            foreach (var a in forceArgv)
                if (Placeholders.ClassifyArgument(a) is not ValueShape.Literal) E($"forceArgv takes literal arguments only, got '{a}'");
            if (forceArgv[0].Trim().Length == 0) E("forceArgv[0] is empty");
            foreach (var problem in CommandSafetyPolicy.Check(forceArgv, env.ToImmutable(), resolved: false)) E($"forceArgv: {problem}");
        }

        var partialWhen = s.PartialWhenOutput?.Trim();
        if (partialWhen is { Length: 0 }) E("partialWhenOutput must not be empty");
        if (partialWhen is not null && argv.IsEmpty) E("partialWhenOutput needs an argv");

        // secrets: an explicit opt-in per step; only known names, and only for a step that runs something.
        var secrets = (s.Secrets ?? []).Select(x => x.Trim()).Distinct(StringComparer.Ordinal).ToImmutableArray();
        foreach (var secret in secrets)
            if (!StepSecrets.Known.Contains(secret)) E($"secrets: '{secret}' is not one of {string.Join(", ", StepSecrets.Known)}");
        if (!secrets.IsEmpty && argv.IsEmpty) E("secrets needs an argv (a check-only step runs nothing to receive them)");

        if (failed) return null;
        return new StepDefinition(id, s.Title!.Trim(), s.Description?.Trim(), argv, env.ToImmutable(), wd, timeout, s.Stdin,
            before, after, forEach, runner, [.. (s.Caveats ?? []).Select(t => t.Trim()).Where(t => t.Length > 0)], forceArgv, when, partialWhen, secrets);
    }
}
