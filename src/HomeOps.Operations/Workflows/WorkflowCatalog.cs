using System.Reflection;
using HomeOps.Operations.Gates;

namespace HomeOps.Operations.Workflows;

/// <summary>The workflows the dashboard offers, in display order.</summary>
public interface IWorkflowCatalog
{
    IReadOnlyList<WorkflowDefinition> All { get; }

    WorkflowDefinition? Find(string id);
}

/// <summary>
/// The shipped definitions (embedded Workflows/Definitions/*.yaml), then the files of an optional override directory:
/// a workflow there replaces the shipped one with the same id, a new id is added. Any invalid file fails the whole
/// load — the dashboard must not start with a half-understood set of destructive buttons.
/// </summary>
public sealed class WorkflowCatalog : IWorkflowCatalog
{
    private const string ResourcePrefix = "HomeOps.Operations.Workflows.Definitions.";

    private readonly List<WorkflowDefinition> _all;

    public WorkflowCatalog(GateRegistry gates, string? overrideDirectory = null)
    {
        var loader = new WorkflowLoader(gates);
        var errors = new List<string>();
        var ordered = new List<WorkflowDefinition>();
        foreach (var (name, text) in ReadShipped())
            AddAll(ordered, loader.Parse(text, $"shipped:{name}", errors), errors, allowReplace: false);
        if (!string.IsNullOrWhiteSpace(overrideDirectory))
        {
            if (!Directory.Exists(overrideDirectory))
                errors.Add($"workflow override directory '{overrideDirectory}' does not exist");
            else
            {
                var files = Directory.EnumerateFiles(overrideDirectory)
                    .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal);
                foreach (var f in files)
                    AddAll(ordered, loader.Parse(File.ReadAllText(f), f, errors), errors, allowReplace: true);
            }
        }
        if (errors.Count > 0) throw new WorkflowDefinitionException(errors);
        _all = ordered;
    }

    public IReadOnlyList<WorkflowDefinition> All => _all;

    public WorkflowDefinition? Find(string id) => _all.FirstOrDefault(w => string.Equals(w.Id, id, StringComparison.Ordinal));

    /// <summary>The shipped YAML files by name, in name order (the file names carry the display order).</summary>
    public static IEnumerable<(string Name, string Text)> ReadShipped()
    {
        var asm = typeof(WorkflowCatalog).Assembly;
        foreach (var res in asm.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = asm.GetManifestResourceStream(res)!;
            using var reader = new StreamReader(stream);
            yield return (res[ResourcePrefix.Length..], reader.ReadToEnd());
        }
    }

    private static void AddAll(List<WorkflowDefinition> into, IEnumerable<WorkflowDefinition> defs, List<string> errors, bool allowReplace)
    {
        foreach (var d in defs)
        {
            var i = into.FindIndex(x => x.Id == d.Id);
            if (i < 0) into.Add(d);
            else if (allowReplace) into[i] = d;
            else errors.Add($"{d.Source}: workflow id '{d.Id}' is already defined in {into[i].Source}");
        }
    }
}
