using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using HomeOps.Cluster.State;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace HomeOps.Benchmarks.Live.Harness;

/// <summary>One server-side timestamp from the dashboard's <see cref="LiveTrace"/> event source.</summary>
/// <param name="Viewer">The circuit (an opaque number), <c>hub</c> for the hub broadcast, or empty for a change becoming ready.</param>
public readonly record struct TracePoint(string Viewer, string Component, string Kind, long ResourceVersion, double At)
{
    public bool IsReady => Viewer.Length == 0;
    public bool IsHub => Viewer == "hub";
}

/// <summary>
/// An EventPipe session on the dashboard process that enables <see cref="LiveTrace"/> (off, and free, otherwise) and
/// collects its events: when each change was ready in the store, and when each circuit's render batch and the hub
/// message carrying it left. Started before a run's writes, stopped after its grace period.
/// </summary>
public sealed class LiveTraceSession : IAsyncDisposable
{
    private readonly EventPipeSession _session;
    private readonly Task _reader;
    private readonly ConcurrentQueue<TracePoint> _points = new();
    private bool _stopped;

    private LiveTraceSession(int processId)
    {
        var client = new DiagnosticsClient(processId);
        _session = client.StartEventPipeSession([new EventPipeProvider(LiveTrace.SourceName, EventLevel.Informational)],
            requestRundown: false, circularBufferMB: 64);
        _reader = Task.Run(() =>
        {
            using var source = new EventPipeEventSource(_session.EventStream);
            source.Dynamic.All += e =>
            {
                if (e.ProviderName != LiveTrace.SourceName) return;
                switch ((int)e.ID)
                {
                    case LiveTrace.ChangeReadyEvent:
                        _points.Enqueue(new TracePoint("", "", (string)e.PayloadValue(0), (long)e.PayloadValue(1), (double)e.PayloadValue(2)));
                        break;
                    case LiveTrace.BatchSentEvent:
                        _points.Enqueue(new TracePoint((string)e.PayloadValue(0), (string)e.PayloadValue(1), (string)e.PayloadValue(2),
                            (long)e.PayloadValue(3), (double)e.PayloadValue(4)));
                        break;
                }
            };
            try { source.Process(); } catch (Exception) when (_stopped) { }
        });
    }

    public static LiveTraceSession Start(int processId) => new(processId);

    /// <summary>Stops the session (the runtime flushes its buffers first) and returns every point it recorded.</summary>
    public async Task<IReadOnlyList<TracePoint>> StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            try { await _session.StopAsync(CancellationToken.None); } catch (Exception) { /* the process may be gone */ }
            await Task.WhenAny(_reader, Task.Delay(TimeSpan.FromSeconds(10)));
        }
        return [.. _points];
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _session.Dispose();
    }
}
