using System.Text.Json;
using Microsoft.Playwright;

namespace HomeOps.Benchmarks.Live.Harness;

/// <summary>One sighting in a page: probe <see cref="Probe"/> showed <see cref="Seq"/> first at <see cref="SeenAt"/> (epoch ms, skew-corrected).</summary>
public readonly record struct ProbeSighting(int Probe, long Seq, double SeenAt);

/// <summary>
/// A MutationObserver installed in the page before any script runs: every DOM mutation whose text carries a probe
/// message ("bench p3 seq 1234") records the first time that sequence number appeared, on the clock
/// <c>performance.timeOrigin + performance.now()</c>. The observer callback runs as a microtask right after the
/// renderer applied the batch, i.e. at DOM-change time (before paint).
/// </summary>
public static class DomProbe
{
    public const string InitScript = """
        (() => {
          const seen = new Map();
          const re = /bench p(\d+) seq (\d+)/g;
          const now = () => performance.timeOrigin + performance.now();
          const scan = (text, t) => {
            if (!text || text.indexOf('bench p') < 0) return;
            re.lastIndex = 0;
            let m;
            while ((m = re.exec(text)) !== null) {
              const key = m[1] + ':' + m[2];
              if (!seen.has(key)) seen.set(key, t);
            }
          };
          const observer = new MutationObserver(records => {
            const t = now();
            for (const r of records) {
              if (r.type === 'characterData') scan(r.target.data, t);
              else for (const n of r.addedNodes) scan(n.textContent, t);
            }
          });
          const start = () => {
            observer.observe(document, { subtree: true, childList: true, characterData: true });
            scan(document.body ? document.body.textContent : '', now());
          };
          start();
          window.__bench = {
            take: () => {
              const out = [];
              for (const [k, t] of seen) { const [p, s] = k.split(':'); out.push([+p, +s, t]); }
              seen.clear();
              return { items: out, skew: Date.now() - now(), visibility: document.visibilityState };
            },
          };
        })();
        """;

    /// <summary>Takes (and clears) the page's sightings, corrected for the skew between the page clock and the wall clock.</summary>
    public static async Task<(IReadOnlyList<ProbeSighting> Sightings, string Visibility)> TakeAsync(IPage page)
    {
        var r = await page.EvaluateAsync<JsonElement>("() => window.__bench.take()");
        var skew = r.GetProperty("skew").GetDouble();
        var list = r.GetProperty("items").EnumerateArray()
            .Select(i => new ProbeSighting(i[0].GetInt32(), i[1].GetInt64(), i[2].GetDouble() + skew))
            .ToList();
        return (list, r.GetProperty("visibility").GetString() ?? "");
    }
}
