using HomeOps.Cluster.Model;
using Microsoft.AspNetCore.Http;

namespace HomeOps.Simulator.Faults;

/// <summary>
/// Sits between one watch stream and its response body: every line the stream sends goes through
/// <see cref="WriteAsync"/>, which sends it as is, or damaged as the request's <see cref="RequestPlan"/> says, and
/// first sends any raw line a test queued with <see cref="FaultInjector.InjectLine(KindInfo, string)"/>. Records the session
/// (established, lines, ended) in the active <see cref="ApiRecorder"/>. One per watch request; not thread-safe
/// (a stream writes from one task).
/// </summary>
internal sealed class WatchStreamTap
{
    private readonly KindInfo _kind;
    private readonly HttpContext _context;
    private RequestPlan _plan;
    private FaultSchedule? _schedule;
    private readonly ApiRecorder? _recorder;
    private readonly FaultInjector _injector;
    private Random _random;
    private WatchSession? _session;
    private int _lines;
    private (byte[] Line, string Key)? _held;

    public WatchStreamTap(KindInfo kind, HttpContext context, RequestPlan plan, FaultSchedule? schedule, ApiRecorder? recorder,
        FaultInjector injector, int seed)
    {
        _kind = kind;
        _context = context;
        _plan = plan;
        _schedule = schedule;
        _recorder = recorder;
        _injector = injector;
        _random = new Random(seed);
    }

    /// <summary>The response headers are out: from now on the client's watch is established.</summary>
    public void Started() => _session = _recorder?.SessionStarted(_kind);

    /// <summary>The stream is over (any way it ended).</summary>
    public void Ended() => _session?.End(null);

    /// <summary>Sends one event line (<paramref name="objectKey"/> is null for bookmarks and errors).</summary>
    public async Task WriteAsync(byte[] line, string? objectKey, CancellationToken token)
    {
        while (_injector.TryTakeInjectedLine(_kind, out var raw)) await SendAsync(raw, token);
        AdoptArmedSchedule();

        var ordinal = _lines++;
        if (_session is not null) _session.Lines = _lines;
        FaultType? fault = _schedule is { Active: true } && _plan.Lines.TryGetValue(ordinal, out var planned) ? planned : null;

        // A held (reordered) event goes out now: after this one when they concern different objects, else first.
        if (_held is { } held)
        {
            _held = null;
            if (fault is null && objectKey is not null && objectKey != held.Key)
            {
                await SendAsync(line, token);
                await SendAsync(held.Line, token);
                Count(FaultType.ReorderEvents);
                return;
            }
            await SendAsync(held.Line, token);
        }

        switch (fault)
        {
            case null:
                await SendAsync(line, token);
                break;
            case FaultType.CutMidLine:
                await SendAsync(line.AsMemory(0, Half(line)), token);
                Count(FaultType.CutMidLine);
                _session?.End(FaultNames.Of(FaultType.CutMidLine));
                _context.Abort(); // RST_STREAM (HTTP/2) or a reset connection (HTTP/1.1)
                throw new StreamEndedByFault(FaultNames.Of(FaultType.CutMidLine));
            case FaultType.EndMidLine:
                await SendAsync(line.AsMemory(0, Half(line)), token);
                Count(FaultType.EndMidLine);
                _session?.End(FaultNames.Of(FaultType.EndMidLine));
                throw new StreamEndedByFault(FaultNames.Of(FaultType.EndMidLine));
            case FaultType.SlowPartialLine:
                Count(FaultType.SlowPartialLine);
                await SendInChunksAsync(line, token);
                break;
            case FaultType.DuplicateEvent when objectKey is not null:
                Count(FaultType.DuplicateEvent);
                await SendAsync(line, token);
                await SendAsync(line, token);
                break;
            case FaultType.ReorderEvents when objectKey is not null:
                _held = (line, objectKey); // counted when the swap actually happens
                break;
            case FaultType.GarbageLine:
                Count(FaultType.GarbageLine);
                await SendAsync(HostileLines.GarbageLine(_random), token);
                await SendAsync(line, token);
                break;
            case FaultType.CorruptEvent:
                Count(FaultType.CorruptEvent);
                await SendAsync(HostileLines.Truncated(line, _random), token);
                break;
            case FaultType.ErrorEvent410:
                Count(FaultType.ErrorEvent410);
                await SendAsync(HostileLines.ExpiredError(0), token);
                _session?.End(FaultNames.Of(FaultType.ErrorEvent410));
                throw new StreamEndedByFault(FaultNames.Of(FaultType.ErrorEvent410));
            case FaultType.TooDeepLine:
                Count(FaultType.TooDeepLine);
                await SendAsync(HostileLines.TooDeep(_kind, name: $"too-deep-{_random.Next(1_000_000)}"), token);
                await SendAsync(line, token);
                break;
            default:
                // A fault that does not apply to this line (a duplicate of a bookmark): send it untouched.
                await SendAsync(line, token);
                break;
        }
    }

    /// <summary>
    /// A stream opened before a schedule was armed takes its place in that schedule at its first line afterwards,
    /// as if it were the kind's next request (it consumes an ordinal); its lines are numbered from there.
    /// </summary>
    private void AdoptArmedSchedule()
    {
        if (_schedule is not null || _injector.AdoptStream(_kind) is not { } adopted) return;
        _schedule = adopted.Schedule;
        _plan = adopted.Plan.Response is null ? adopted.Plan : RequestPlan.Clean; // an open stream cannot be answered with an error any more
        _random = new Random(adopted.Seed);
        _lines = 0;
    }

    private static int Half(byte[] line) => Math.Max(1, (line.Length - 1) / 2);

    private void Count(FaultType type) => _schedule?.Count($"stream {FaultNames.Of(type)}");

    private async Task SendInChunksAsync(byte[] line, CancellationToken token)
    {
        var chunks = 2 + _random.Next(3);
        var offset = 0;
        for (var i = 0; i < chunks && offset < line.Length; i++)
        {
            var size = i == chunks - 1 ? line.Length - offset : Math.Max(1, line.Length / chunks);
            await SendAsync(line.AsMemory(offset, Math.Min(size, line.Length - offset)), token);
            offset += size;
            if (offset < line.Length) await Task.Delay(5 + _random.Next(30), token);
        }
        if (offset < line.Length) await SendAsync(line.AsMemory(offset), token);
    }

    private async Task SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken token)
    {
        await _context.Response.Body.WriteAsync(bytes, token);
        await _context.Response.Body.FlushAsync(token);
    }
}
