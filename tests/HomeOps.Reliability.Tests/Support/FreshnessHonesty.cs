using HomeOps.Cluster.Model;
using HomeOps.Simulator.Faults;

namespace HomeOps.Reliability.Tests.Support;

/// <summary>
/// Judges what the store said about a kind's freshness against what the simulator knows about its watch streams.
/// Two rules:
/// <list type="number">
/// <item>Never "live" while (re)connecting: when a list or watch request of a kind reaches the server, the kind is
/// not shown live. The informer must say Reconnecting <em>before</em> it re-lists or re-watches — exact, no grace.</item>
/// <item>"Live" only during a watch: each live period starts inside one watch session the server established, and
/// ends no later than <c>grace</c> after that session ended (the client needs a moment to notice a cut).</item>
/// </list>
/// </summary>
internal static class FreshnessHonesty
{
    public sealed record Result(IReadOnlyList<string> Violations, double MaxLagMs, int LivePeriods);

    public static Result Check(FreshnessTimeline timeline, ApiRecorder recorder, IEnumerable<KindInfo> kinds, long from, long to, TimeSpan grace)
    {
        var violations = new List<string>();
        var maxLag = 0.0;
        var periods = 0;
        var requests = recorder.Requests;
        var sessions = recorder.Sessions;
        foreach (var kind in kinds)
        {
            var states = timeline.For(kind);
            FeedState StateAt(long t)
            {
                var state = FeedState.Connecting;
                foreach (var e in states)
                {
                    if (e.At > t) break;
                    state = e.State;
                }
                return state;
            }

            foreach (var request in requests.Where(r => r.Kind == kind.Key && r.At >= from && r.At <= to))
            {
                if (StateAt(request.At) == FeedState.Live)
                    violations.Add($"{kind.Key}: a {(request.Watch ? "watch" : "list")} request reached the API at +{Clock.Ms(from, request.At):0} ms while the kind was shown live");
            }

            var own = sessions.Where(s => s.Kind == kind.Key).OrderBy(s => s.Started).ToList();
            for (var i = 0; i < states.Count; i++)
            {
                if (states[i].State != FeedState.Live || states[i].At < from || states[i].At > to) continue;
                periods++;
                var start = states[i].At;
                var end = states.Skip(i + 1).FirstOrDefault(e => e.State != FeedState.Live)?.At ?? to;
                var session = own.LastOrDefault(s => s.Started <= start);
                if (session is null)
                {
                    violations.Add($"{kind.Key}: shown live at +{Clock.Ms(from, start):0} ms with no watch established before");
                    continue;
                }
                if (session.Ended is not { } ended) continue; // still watching (or ended after the window)
                var lagAtStart = Clock.Ms(ended, start);
                if (lagAtStart > grace.TotalMilliseconds)
                {
                    violations.Add($"{kind.Key}: shown live at +{Clock.Ms(from, start):0} ms, {lagAtStart:0} ms after its watch ended");
                    continue;
                }
                var lag = Clock.Ms(ended, end);
                if (lag > maxLag) maxLag = lag;
                if (lag > grace.TotalMilliseconds)
                    violations.Add($"{kind.Key}: still shown live {lag:0} ms after its watch ended at +{Clock.Ms(from, ended):0} ms ({session.EndedBy ?? "closed"})");
            }
        }
        return new Result(violations, maxLag, periods);
    }
}
