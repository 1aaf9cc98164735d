using System.Text.Json;
using System.Text.Json.Serialization;

namespace HomeOps.Operations.Engine;

/// <summary>How plans, gate results, pre-flights and definition snapshots are stored in the database.</summary>
internal static class EngineJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;
}
