using System.Text;
using HomeOps.Benchmarks.Live.Harness;
using HomeOps.Benchmarks.Live.Report;
using Microsoft.Playwright;
using static HomeOps.Benchmarks.Live.Report.BenchReport;

namespace HomeOps.Benchmarks.Live.Items;

/// <summary>
/// Item 4, wire bytes per viewer: 151 Longhorn volumes each change once per second; one browser's circuit WebSocket
/// is metered (frame payloads as Playwright sees them, both directions) on the Longhorn page and on the overview.
/// </summary>
public static class WireBench
{
    private const double TargetBytesPerSecond = 50 * 1024;

    public static async Task<BenchReport> RunAsync(BenchContext ctx)
    {
        var report = ctx.NewReport("wire", "4. Wire bytes per viewer");
        var rig = await ctx.RigAsync(ClusterShape.Longhorn151);
        var window = ctx.Smoke ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(30);
        var table = new ResultTable($"Bytes on the circuit's WebSocket, {rig.Volumes.Count} volumes each changing once per second ({window.TotalSeconds:0} s window)",
            ["page", "received B/s", "sent B/s", "frames/s received", "idle received B/s"], []);
        report.Tables.Add(table);
        report.Require(rig.Volumes.Count == 151, $"expected 151 volumes, the cluster has {rig.Volumes.Count}");

        double longhornRate = double.NaN;
        foreach (var path in ctx.Smoke ? ["/longhorn"] : new[] { "/longhorn", "/" })
        {
            var meter = new WireMeter(path == "/" ? "overview" : path.Trim('/'));
            var page = await rig.OpenPageAsync(path, new() { ViewportSize = new() { Width = 1280, Height = 900 } }, beforeNavigation: p =>
            {
                p.WebSocket += (_, ws) => meter.Attach(ws);
                return Task.CompletedTask;
            });
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(ctx.Smoke ? 0.5 : 1));   // the first render's frames are not steady state
                var idle = await meter.MeasureAsync(ctx.Smoke ? TimeSpan.FromSeconds(0.5) : TimeSpan.FromSeconds(5), () => Task.CompletedTask);
                var busy = await meter.MeasureAsync(window, () => ChangeDriver.RunVolumesAsync(rig.Simulator.Cluster, rig.Volumes, 1.0, window));
                table.Rows.Add([path, F(busy.Received, 0), F(busy.Sent, 0), F(busy.Frames, 1), F(idle.Received, 0)]);
                var key = path == "/" ? "overview" : path.Trim('/');
                report.Metric($"wire.{key}.receivedBytesPerSecond", busy.Received);
                report.Metric($"wire.{key}.sentBytesPerSecond", busy.Sent);
                report.Metric($"wire.{key}.idleReceivedBytesPerSecond", idle.Received);
                report.Metric($"wire.{key}.framesPerSecond", busy.Frames);
                if (path == "/longhorn")
                {
                    longhornRate = busy.Received;
                    report.Require(busy.Received > 0, "the Longhorn page received nothing while its volumes changed");
                }
                ctx.Log.WriteLine($"wire {path}: {busy.Received:F0} B/s received, {busy.Frames:F1} frames/s");
            }
            finally
            {
                await LiveRig.CloseAsync([page]);
            }
        }
        report.Check("bytes/s to one browser on the Longhorn page (151 volumes, 1 change/s each)", "≤ 50 KB/s", longhornRate / 1024, TargetBytesPerSecond / 1024, "KB/s");
        table.Rows.Add(["Longhorn UI (published)", "5–8 MB/s", "", "", ""]);
        report.Notes.Add("Bytes are WebSocket frame payloads (Blazor's binary render batches) as Chromium reports them; framing adds 2–14 bytes per frame. " +
                         "The Longhorn page virtualizes its volume list above 60 rows, so only visible rows' changes are sent; the overview receives only tile changes.");
        return report;
    }

    private sealed class WireMeter(string name)
    {
        private long _received;
        private long _sent;
        private long _frames;

        // HOMEOPS_BENCH_DUMP_FRAMES=<folder> keeps received frames for inspection (which render batches are heavy, and why).
        private readonly string? _dump = Environment.GetEnvironmentVariable("HOMEOPS_BENCH_DUMP_FRAMES") is { Length: > 0 } d ? Path.Combine(d, name) : null;

        public void Attach(IWebSocket ws)
        {
            ws.FrameReceived += (_, f) =>
            {
                var n = Interlocked.Increment(ref _frames);
                Interlocked.Add(ref _received, Size(f));
                if (_dump is not null && f.Binary is { } bytes && n <= 1000)
                {
                    Directory.CreateDirectory(_dump);
                    File.WriteAllBytes(Path.Combine(_dump, $"frame-{n:D4}.bin"), bytes);
                }
            };
            ws.FrameSent += (_, f) => Interlocked.Add(ref _sent, Size(f));
        }

        public async Task<(double Received, double Sent, double Frames)> MeasureAsync(TimeSpan window, Func<Task> during)
        {
            var (r0, s0, f0) = (Interlocked.Read(ref _received), Interlocked.Read(ref _sent), Interlocked.Read(ref _frames));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var work = during();
            await Task.WhenAll(work, Task.Delay(window));
            await Task.Delay(300);                                         // the last batch's frames
            var seconds = clock.Elapsed.TotalSeconds;
            return ((Interlocked.Read(ref _received) - r0) / seconds, (Interlocked.Read(ref _sent) - s0) / seconds, (Interlocked.Read(ref _frames) - f0) / seconds);
        }

        private static long Size(IWebSocketFrame f) => f.Binary?.Length ?? Encoding.UTF8.GetByteCount(f.Text ?? "");
    }
}
