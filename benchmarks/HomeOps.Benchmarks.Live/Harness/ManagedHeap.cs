using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace HomeOps.Benchmarks.Live.Harness;

/// <summary>
/// The managed heap another .NET process retains: an EventPipe session with the GCHeapCollect keyword makes the
/// runtime run a blocking full collection (what dotnet-gcdump does), and the GCHeapStats event after it gives the
/// size of every generation, LOH and POH — i.e. the bytes still reachable.
/// </summary>
public static class ManagedHeap
{
    private const long GcHeapCollectKeyword = 0x800000;

    public static async Task<long> RetainedBytesAfterFullGcAsync(int processId, TimeSpan? timeout = null)
    {
        var client = new DiagnosticsClient(processId);
        var providers = new[]
        {
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational,
                (long)ClrTraceEventParser.Keywords.GC | GcHeapCollectKeyword),
        };
        using var session = client.StartEventPipeSession(providers, requestRundown: false, circularBufferMB: 64);
        var result = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sawInducedFullGc = false;
        var reader = Task.Run(() =>
        {
            using var source = new EventPipeEventSource(session.EventStream);
            source.Clr.GCStart += e =>
            {
                if (e.Depth == 2 && e.Reason is GCReason.Induced or GCReason.InducedNotForced or GCReason.InducedCompacting) sawInducedFullGc = true;
            };
            source.Clr.GCHeapStats += e =>
            {
                if (!sawInducedFullGc) return;
                result.TrySetResult(e.GenerationSize0 + e.GenerationSize1 + e.GenerationSize2 + e.GenerationSize3 + e.GenerationSize4);
            };
            try { source.Process(); } catch (Exception) when (result.Task.IsCompleted) { }
        });
        var finished = await Task.WhenAny(result.Task, Task.Delay(timeout ?? TimeSpan.FromSeconds(30)));
        try { await session.StopAsync(CancellationToken.None); } catch (Exception) { /* the process may be gone */ }
        await Task.WhenAny(reader, Task.Delay(TimeSpan.FromSeconds(5)));
        if (finished != result.Task) throw new TimeoutException("no induced full GC was reported by process " + processId);
        return await result.Task;
    }
}
