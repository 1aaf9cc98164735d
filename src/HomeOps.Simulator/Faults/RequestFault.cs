using System.Net;

namespace HomeOps.Simulator.Faults;

/// <summary>An error answer to one list or watch request, optionally with a <c>Retry-After</c> header (whole seconds, as HTTP has it).</summary>
public sealed record RequestFault(FaultType Type, HttpStatusCode Status, TimeSpan? RetryAfter = null)
{
    public static RequestFault Gone() => new(FaultType.Gone410, HttpStatusCode.Gone);

    public static RequestFault TooManyRequests(TimeSpan? retryAfter = null) =>
        new(FaultType.TooManyRequests429, HttpStatusCode.TooManyRequests, retryAfter);

    public static RequestFault ServerError(TimeSpan? retryAfter = null) =>
        new(FaultType.ServerError500, HttpStatusCode.InternalServerError, retryAfter);

    public string Name => RetryAfter is null ? FaultNames.Of(Type) : $"{FaultNames.Of(Type)} + Retry-After";

    public override string ToString() => RetryAfter is { } after ? $"{(int)Status} (Retry-After {after.TotalSeconds:0})" : $"{(int)Status}";
}

/// <summary>What one list or watch request gets: an error answer, or (for a watch) damage to some of its lines.</summary>
public sealed class RequestPlan
{
    public static readonly RequestPlan Clean = new(null, new Dictionary<int, FaultType>());

    public RequestPlan(RequestFault? response, IReadOnlyDictionary<int, FaultType> lines)
    {
        Response = response;
        Lines = lines;
    }

    /// <summary>The error to answer with, instead of serving the request.</summary>
    public RequestFault? Response { get; }

    /// <summary>Line ordinal on the watch stream (0 = first line sent, bookmarks included) → damage to that line.</summary>
    public IReadOnlyDictionary<int, FaultType> Lines { get; }

    public bool IsClean => Response is null && Lines.Count == 0;

    public override string ToString() =>
        Response is { } r ? r.ToString()
        : Lines.Count == 0 ? "-"
        : string.Join(",", Lines.OrderBy(l => l.Key).Select(l => $"L{l.Key}:{l.Value}"));
}
