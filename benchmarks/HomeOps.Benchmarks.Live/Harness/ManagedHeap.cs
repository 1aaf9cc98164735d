using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace HomeOps.Benchmarks.Live.Harness;

/// <summary>
/// The managed heap another .NET process retains: an EventPipe session with the GCHeapCollect keyword makes the
/// runtime run a blocking full collection (what dotnet-gcdump does), and the GCHeapStats event after it gives, per
/// generation, LOH and POH, the bytes that survived it (the live bytes: what the process retains) and the size of
/// each (which also counts free space left between survivors by a collection that did not compact).
/// </summary>
/// <param name="Live">Bytes that survived the full collection: the objects still reachable.</param>
/// <param name="Size">The generations' sizes after it, free space included.</param>
public readonly record struct HeapReading(long Live, long Size);

public static class ManagedHeap
{
    private const long GcHeapCollectKeyword = 0x800000;

    /// <summary>The live bytes after an induced full GC (<see cref="HeapReading.Live"/>).</summary>
    public static async Task<long> RetainedBytesAfterFullGcAsync(int processId, TimeSpan? timeout = null) =>
        (await ReadAfterFullGcAsync(processId, timeout)).Live;

    public static async Task<HeapReading> ReadAfterFullGcAsync(int processId, TimeSpan? timeout = null)
    {
        var client = new DiagnosticsClient(processId);
        var providers = new[]
        {
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational,
                (long)ClrTraceEventParser.Keywords.GC | GcHeapCollectKeyword),
        };
        using var session = client.StartEventPipeSession(providers, requestRundown: false, circularBufferMB: 64);
        var result = new TaskCompletionSource<HeapReading>(TaskCreationOptions.RunContinuationsAsynchronously);
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
                result.TrySetResult(new(
                    e.TotalPromotedSize0 + e.TotalPromotedSize1 + e.TotalPromotedSize2 + e.TotalPromotedSize3 + e.TotalPromotedSize4,
                    e.GenerationSize0 + e.GenerationSize1 + e.GenerationSize2 + e.GenerationSize3 + e.GenerationSize4));
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
