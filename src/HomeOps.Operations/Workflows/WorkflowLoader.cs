using HomeOps.Operations.Gates;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace HomeOps.Operations.Workflows;

/// <summary>Parses and validates workflow YAML. Unknown keys are errors; every problem names its source file.</summary>
public sealed class WorkflowLoader(GateRegistry gates)
{
    private readonly IDeserializer _yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    /// <summary>Parses one file's text. Throws <see cref="WorkflowDefinitionException"/> listing every problem.</summary>
    public IReadOnlyList<WorkflowDefinition> Parse(string yaml, string source)
    {
        var errors = new List<string>();
        var result = Parse(yaml, source, errors);
        if (errors.Count > 0) throw new WorkflowDefinitionException(errors);
        return result;
    }

    internal IReadOnlyList<WorkflowDefinition> Parse(string yaml, string source, List<string> errors)
    {
        WorkflowFileYaml? file;
        try
        {
            file = _yaml.Deserialize<WorkflowFileYaml>(yaml);
        }
        catch (YamlException ex)
        {
            var inner = ex.InnerException is { } ie ? $" ({ie.Message})" : "";
            errors.Add($"{source}: line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}{inner}");
            return [];
        }
        if (file?.Workflows is null) return []; // a file of comments only (e.g. documentation) is fine
        var validator = new WorkflowValidator(gates);
        var list = new List<WorkflowDefinition>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var w in file.Workflows)
        {
            var def = validator.Convert(w, source, errors);
            if (def is null) continue;
            if (!ids.Add(def.Id)) { errors.Add($"{source}: duplicate workflow id '{def.Id}'"); continue; }
            list.Add(def);
        }
        return list;
    }
}
