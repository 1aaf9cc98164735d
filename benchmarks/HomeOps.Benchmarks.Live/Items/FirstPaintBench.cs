using System.Text.Json;
using HomeOps.Benchmarks.Live.Harness;
using HomeOps.Benchmarks.Live.Report;
using Microsoft.Playwright;
using static HomeOps.Benchmarks.Live.Report.BenchReport;

namespace HomeOps.Benchmarks.Live.Items;

/// <summary>
/// Item 6, first paint on a phone: a signed-in viewer opens the overview in a fresh 390×844 context (empty cache).
/// Interactive = the circuit is connected (the circuit-ready marker is in the DOM) and all seven tiles are rendered
/// with data: each shows an "n/total" count with total ≥ 1 computed from the cluster (n may be "?" where the tile
/// itself cannot tell, e.g. BGP sessions not reported yet). Bytes = every HTTP response's
/// encoded length (CDP Network.loadingFinished) plus the circuit's WebSocket payloads, up to that moment.
/// </summary>
public static class FirstPaintBench
{
    private const string InteractiveScript = """
        (() => {
          const check = () => {
            if (window.__interactiveAt !== undefined) return;
            if (!document.querySelector('[data-testid=circuit-ready]')) return;
            const tiles = [...document.querySelectorAll('.area-tile[data-testid^="tile-"]')];
            if (tiles.length < 7) return;
            for (const t of tiles) {
              const c = t.querySelector('.tile-count');
              if (!c || !/^(\d+|\?)\/[1-9]\d*$/.test(c.textContent.trim())) return;
            }
            window.__interactiveAt = performance.now();
          };
          new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
          document.addEventListener('DOMContentLoaded', check);
        })();
        """;

    private const string TileStateScript = """
        () => (document.querySelector('[data-testid=circuit-ready]') ? 'circuit ready; ' : 'no circuit; ') +
          [...document.querySelectorAll('.area-tile[data-testid^="tile-"]')]
            .map(t => t.getAttribute('data-testid') + '=' + t.getAttribute('data-health') + ' ' + (t.querySelector('.tile-count') || {}).textContent).join(', ')
        """;

    public static async Task<BenchReport> RunAsync(BenchContext ctx)
    {
        var report = ctx.NewReport("first-paint", "6. First paint on a phone");
        var rig = await ctx.RigAsync(ClusterShape.HomeOps());
        var runs = ctx.Smoke ? 1 : 7;
        var table = new ResultTable("Navigation → interactive overview, 390×844 (DPR 3, touch), fresh context, loopback",
            ["run", "first contentful paint ms", "interactive ms", "bytes to interactive", "HTTP requests"], []);
        report.Tables.Add(table);
        var results = new List<(double Fcp, double Interactive, long Bytes, int Requests)>();
        var resources = new List<string>();
        for (var run = 1; run <= runs; run++)
        {
            resources.Clear();
            var r = await OneAsync(rig, resources);
            results.Add(r);
            table.Rows.Add([run == 1 ? "1 (first after start)" : run.ToString(), F(r.Fcp, 0), F(r.Interactive, 0), $"{r.Bytes / 1024.0:N0} KB", r.Requests.ToString()]);
            ctx.Log.WriteLine($"first-paint run {run}: interactive {r.Interactive:F0} ms, {r.Bytes / 1024.0:F0} KB");
        }
        // Warm runs are what a user sees once the server has been up a while; the first is reported beside them.
        var warm = results.Count > 1 ? results.Skip(1).ToList() : results;
        var median = Percentiles.Of(warm.Select(r => r.Interactive).ToList(), 50);
        var bytes = Percentiles.Of(warm.Select(r => (double)r.Bytes).ToList(), 50);
        table.Rows.Add(["median (warm)", F(Percentiles.Of(warm.Select(r => r.Fcp).ToList(), 50), 0), F(median, 0), $"{bytes / 1024:N0} KB", ""]);
        report.Metric("firstPaint.interactiveMs.median", median);
        report.Metric("firstPaint.interactiveMs.first", results[0].Interactive);
        report.Metric("firstPaint.bytes.median", bytes);
        report.Metric("firstPaint.fcpMs.median", Percentiles.Of(warm.Select(r => r.Fcp).ToList(), 50));
        report.Require(results.All(r => r.Bytes > 0 && r.Interactive > 0), "a run recorded no bytes or no interactive time");
        report.Check("navigation → interactive overview (median)", "≤ 1.5 s", median / 1000, 1.5, "s");
        report.Check("bytes downloaded to interactive (median)", "≤ 1.5 MB", bytes / 1024 / 1024, 1.5, "MB");
        report.Notes.Add("Largest responses of the last run (size on the wire, Content-Encoding): " + string.Join("; ", resources) + ".");
        report.Notes.Add("Chromium advertises Brotli only over HTTPS; on http loopback it accepts gzip and deflate.");
        return report;
    }

    private static async Task<(double Fcp, double Interactive, long Bytes, int Requests)> OneAsync(LiveRig rig,
        List<string>? resources = null)
    {
        long http = 0, ws = 0;
        var requests = 0;
        var responses = new System.Collections.Concurrent.ConcurrentDictionary<string, (string Url, string Encoding)>();
        var sizes = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        var page = await rig.OpenPageAsync("/", new()
        {
            ViewportSize = new() { Width = 390, Height = 844 },
            DeviceScaleFactor = 3,
            IsMobile = true,
            HasTouch = true,
        }, waitForCircuit: false, beforeNavigation: async p =>
        {
            await p.AddInitScriptAsync(InteractiveScript);
            var cdp = await p.Context.NewCDPSessionAsync(p);
            cdp.Event("Network.loadingFinished").OnEvent += (_, e) =>
            {
                if (e is { } v && v.TryGetProperty("encodedDataLength", out var len))
                {
                    Interlocked.Add(ref http, (long)len.GetDouble());
                    Interlocked.Increment(ref requests);
                    sizes[v.GetProperty("requestId").GetString() ?? ""] = (long)len.GetDouble();
                }
            };
            cdp.Event("Network.responseReceived").OnEvent += (_, e) =>
            {
                if (e is not { } v) return;
                var response = v.GetProperty("response");
                var encoding = response.GetProperty("headers").EnumerateObject()
                    .FirstOrDefault(h => h.Name.Equals("content-encoding", StringComparison.OrdinalIgnoreCase)).Value;
                responses[v.GetProperty("requestId").GetString() ?? ""] =
                    (response.GetProperty("url").GetString() ?? "", encoding.ValueKind == JsonValueKind.String ? encoding.GetString() ?? "" : "identity");
            };
            cdp.Event("Network.webSocketFrameReceived").OnEvent += (_, e) =>
            {
                if (e is { } v && v.GetProperty("response").GetProperty("payloadData").GetString() is { } payload)
                    Interlocked.Add(ref ws, v.GetProperty("response").GetProperty("opcode").GetDouble() == 2 ? payload.Length * 3 / 4 : payload.Length);
            };
            await cdp.SendAsync("Network.enable");
        });
        try
        {
            try
            {
                await page.WaitForFunctionAsync("() => window.__interactiveAt !== undefined", null, new() { Timeout = 30_000 });
            }
            catch (TimeoutException)
            {
                var state = await page.EvaluateAsync<string>(TileStateScript);
                throw new TimeoutException($"the overview never became interactive; tiles: {state}");
            }
            var bytes = Interlocked.Read(ref http) + Interlocked.Read(ref ws);
            resources?.AddRange(sizes.OrderByDescending(kv => kv.Value).Take(6).Select(kv =>
                responses.TryGetValue(kv.Key, out var r) ? $"{new Uri(r.Url).AbsolutePath} {kv.Value / 1024.0:N0} KB ({r.Encoding})" : $"? {kv.Value / 1024.0:N0} KB"));
            var interactive = await page.EvaluateAsync<double>("() => window.__interactiveAt");
            var fcp = await page.EvaluateAsync<double>("() => (performance.getEntriesByName('first-contentful-paint')[0] || { startTime: NaN }).startTime");
            return (fcp, interactive, bytes, requests);
        }
        finally
        {
            await LiveRig.CloseAsync([page]);
        }
    }
}
