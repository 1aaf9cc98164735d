using System.Runtime.CompilerServices;
using System.Threading.Channels;
using HomeOps.Dashboard.ViewModels.Operations;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Persistence;
using Microsoft.AspNetCore.SignalR;

namespace HomeOps.Dashboard.Hubs;

/// <summary>
/// One run as a stream for a hub client: its state and stored log, then its live events from the engine's feed
/// (<see cref="IRunEvents"/>, the one the run pages use) until the run stops or the caller cancels. Subscribes before
/// loading, so nothing published meanwhile is lost, and drops live lines it already sent from storage (line numbers
/// count per step). Bounded: live events wait in a fixed-size queue; when a slow client lets it fill, the oldest are
/// dropped and the client gets a <see cref="RunEventTypes.Dropped"/> marker followed by the run's fresh state, and
/// the stream carries on from there (the skipped lines stay in the stored log, GET /api/v1/operations/runs/{id}).
/// </summary>
public static class RunEventStream
{
    public const int DefaultCapacity = 1024;

    /// <summary>Longer output lines are cut (the stored log keeps them whole); keeps a single item's size bounded.</summary>
    public const int MaxLineChars = 8 * 1024;

    public static async IAsyncEnumerable<RunEventDto> ReadAsync(IOperationsEngine engine, TimeProvider time, Guid runId,
        [EnumeratorCancellation] CancellationToken ct, int capacity = DefaultCapacity)
    {
        long dropped = 0;
        var queue = Channel.CreateBounded<RunEvent>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref dropped));
        using var subscription = engine.Events.Subscribe(runId, e => queue.Writer.TryWrite(e));

        var run = await engine.GetRunAsync(runId, ct).ConfigureAwait(false)
                  ?? throw new HubException($"Run {runId} does not exist.");
        var sent = new Dictionary<int, long>(); // per step: the highest line number sent
        var live = new HashSet<int>();          // steps whose live lines have started
        yield return State(run, time);
        foreach (var item in StoredLines(run, sent, time, onlyStep: null)) yield return item;
        if (HasStopped(run.Status)) yield break;

        var stopping = false;
        while (!stopping && await queue.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            while (queue.Reader.TryRead(out var e))
            {
                if (Interlocked.Exchange(ref dropped, 0) is > 0 and var lost)
                {
                    yield return new RunEventDto(RunEventTypes.Dropped, time.GetUtcNow(), Dropped: lost,
                        Message: $"{lost} live event(s) were dropped because this client read too slowly; the state below is current.");
                    if (await engine.GetRunAsync(runId, ct).ConfigureAwait(false) is { } now)
                    {
                        // The client resumes from this state: lines up to what is stored now are skipped, not refilled.
                        foreach (var step in now.Steps)
                        {
                            sent[step.Ordinal] = Math.Max(sent.GetValueOrDefault(step.Ordinal), step.OutputLineCount);
                            live.Add(step.Ordinal);
                        }
                        yield return State(now, time);
                    }
                }
                if (e is StepOutput line && line.LineNumber > sent.GetValueOrDefault(line.Ordinal) + 1 && live.Add(line.Ordinal)
                    && await engine.GetRunAsync(runId, ct).ConfigureAwait(false) is { } reloaded)
                {
                    // Lines written before this stream subscribed but not yet stored when it loaded: stored by now.
                    foreach (var item in StoredLines(reloaded, sent, time, line.Ordinal, before: line.LineNumber)) yield return item;
                }
                if (Item(e, sent, live) is { } dto) yield return dto;
                if (e is RunStatusChanged { Status: var status } && HasStopped(status)) stopping = true;
            }
        }
        if (!stopping) yield break;
        // The run stopped: its last stored lines and final state (exit codes, messages) close the stream.
        var final = await engine.GetRunAsync(runId, ct).ConfigureAwait(false);
        if (final is null) yield break;
        foreach (var item in StoredLines(final, sent, time, onlyStep: null)) yield return item;
        yield return State(final, time);
    }

    /// <summary>Not executing and not waiting for a person: Succeeded, Failed, Cancelled or Interrupted.</summary>
    public static bool HasStopped(RunStatus status) => status is not (RunStatus.Pending or RunStatus.AwaitingConfirmation or RunStatus.Running);

    private static RunEventDto State(RunView run, TimeProvider time) =>
        new(RunEventTypes.State, time.GetUtcNow(), RunStateDto.From(run), Status: run.Status.ToString(), Message: run.Message);

    private static RunEventDto? Item(RunEvent e, Dictionary<int, long> sent, HashSet<int> live)
    {
        switch (e)
        {
            case StepOutput o:
                live.Add(o.Ordinal);
                if (o.LineNumber <= sent.GetValueOrDefault(o.Ordinal)) return null; // already sent from storage
                sent[o.Ordinal] = o.LineNumber;
                return Line(o.At, o.Ordinal, o.LineNumber, o.Stream.ToString(), o.Text);
            case StepStatusChanged s:
                return new RunEventDto(RunEventTypes.Step, s.At, Status: s.Status.ToString(), Ordinal: s.Ordinal, StepKey: s.StepKey,
                    ExitCode: s.ExitCode, Message: s.Message);
            case RunStatusChanged r:
                return new RunEventDto(RunEventTypes.Status, r.At, Status: r.Status.ToString(), Ordinal: r.CurrentStep, Message: r.Message);
            case GateEvaluated g:
                return new RunEventDto(RunEventTypes.Gate, g.At, Status: g.Result.Outcome.ToString(), Ordinal: g.Ordinal, Phase: g.Phase,
                    Gate: g.Result.Gate, Message: g.Result.Message);
            default:
                return null;
        }
    }

    /// <summary>Stored lines not sent yet (all steps, or one step below <paramref name="before"/>), parsed as the run page parses them.</summary>
    private static IEnumerable<RunEventDto> StoredLines(RunView run, Dictionary<int, long> sent, TimeProvider time, int? onlyStep, long before = long.MaxValue)
    {
        var at = time.GetUtcNow();
        foreach (var step in run.Steps)
        {
            if (onlyStep is { } only && step.Ordinal != only) continue;
            var log = new RunLogBuffer(int.MaxValue);
            log.Merge(step.Output, step.OutputLineCount);
            var last = sent.GetValueOrDefault(step.Ordinal);
            var lines = log.Lines.Where(l => l.Number > last && l.Number < before).ToList();
            if (lines.Count == 0) continue;
            if (lines[0].Number > last + 1)
                yield return new RunEventDto(RunEventTypes.Dropped, at, Ordinal: step.Ordinal, StepKey: step.Key, Dropped: lines[0].Number - last - 1,
                    Message: $"lines {last + 1}–{lines[0].Number - 1} of {step.Key} are no longer stored (the stored log keeps the most recent output)");
            foreach (var l in lines) yield return Line(at, step.Ordinal, l.Number, l.Stream.ToString(), l.Text);
            sent[step.Ordinal] = lines[^1].Number;
        }
    }

    private static RunEventDto Line(DateTimeOffset at, int ordinal, long number, string stream, string text) =>
        new(RunEventTypes.Line, at, Ordinal: ordinal, LineNumber: number, Stream: stream,
            Text: text.Length > MaxLineChars ? text[..MaxLineChars] + "…" : text);
}
