using System.Collections.Concurrent;
using System.Globalization;
using HomeOps.Reliability.Tests.Support;
using HomeOps.Simulator.Faults;

namespace HomeOps.Reliability.Tests.Faults;

/// <summary>
/// Seeded random fault schedules through the real informers (InformerHost + ClusterStore + KubernetesClient) against the
/// simulator over real HTTP/2 watch streams. CI runs 200 schedules; the long run is
/// <c>HOMEOPS_FAULT_SCHEDULES=10000 dotnet test --project tests/HomeOps.Reliability.Tests --filter-class '*RandomFaultScheduleTests'</c>.
/// One seed alone: <c>HOMEOPS_FAULT_SEED=1234</c>. See docs/reliability.md.
/// </summary>
public sealed class RandomFaultScheduleTests
{
    private const int DefaultSchedules = 200;
    private const int DefaultWorkers = 4;

    [Fact]
    public async Task Seeded_fault_schedules_lose_no_object_and_never_show_a_kind_live_without_a_watch()
    {
        var single = IntFromEnvironment("HOMEOPS_FAULT_SEED");
        var count = single is null ? IntFromEnvironment("HOMEOPS_FAULT_SCHEDULES") ?? DefaultSchedules : 1;
        var first = single ?? IntFromEnvironment("HOMEOPS_FAULT_FIRST_SEED") ?? 1;
        var workers = Math.Clamp(IntFromEnvironment("HOMEOPS_FAULT_WORKERS") ?? DefaultWorkers, 1, Math.Max(1, count));
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;

        var seeds = new ConcurrentQueue<int>(Enumerable.Range(first, count));
        var outcomes = new ConcurrentBag<ScheduleOutcome>();
        var started = Clock.Now;
        var options = new FaultScheduleOptions();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            await using var worker = await FaultWorker.StartAsync(ct);
            while (seeds.TryDequeue(out var seed))
            {
                var outcome = await worker.RunAsync(seed, options, ct);
                outcomes.Add(outcome);
                if (!outcome.Passed) output?.WriteLine($"FAILED {outcome.Failure}");
                if (outcomes.Count % 50 == 0) output?.WriteLine($"{outcomes.Count}/{count} schedules, {Clock.Ms(started, Clock.Now) / 1000:0} s");
            }
        }, ct)));

        var figures = new ScheduleFigures
        {
            Outcomes = [.. outcomes.OrderBy(o => o.Seed)],
            Workers = workers,
            WallSeconds = Clock.Ms(started, Clock.Now) / 1000,
            Command = single is null
                ? $"HOMEOPS_FAULT_SCHEDULES={count} dotnet test --project tests/HomeOps.Reliability.Tests --filter-class '*RandomFaultScheduleTests'"
                : $"HOMEOPS_FAULT_SEED={single} dotnet test --project tests/HomeOps.Reliability.Tests --filter-class '*RandomFaultScheduleTests'",
        };
        var path = figures.Write(single is null ? "fault-schedules" : $"fault-schedule-{single}");
        output?.WriteLine(figures.ToMarkdown());
        output?.WriteLine($"figures: {path}");

        var failures = figures.Outcomes.Where(o => !o.Passed).ToList();
        Assert.True(failures.Count == 0,
            $"{failures.Count} of {count} schedules failed; reproduce one with HOMEOPS_FAULT_SEED=<seed>.\n\n"
            + string.Join("\n\n", failures.Take(3).Select(f => f.Failure)));
        Assert.Equal(count, figures.Schedules);
        Assert.Equal(0, figures.Outcomes.Sum(o => o.Lost));
        Assert.Equal(0, figures.Outcomes.Sum(o => o.Phantom));
        Assert.Equal(0, figures.Outcomes.Sum(o => o.Stale));
        Assert.True(figures.Outcomes.Sum(o => o.ObjectsCompared) > 0);
        if (count >= DefaultSchedules)
        {
            // Enough schedules that every kind of fault must have been injected for real, not just planned.
            var injected = figures.FaultsByType;
            foreach (var type in Enum.GetValues<FaultType>())
            {
                var name = FaultNames.Of(type);
                Assert.True(injected.Any(p => p.Key.Contains(name, StringComparison.Ordinal) && p.Value > 0),
                    $"no '{name}' was injected in {count} schedules: {string.Join(", ", injected.Select(p => $"{p.Key}={p.Value}"))}");
            }
            Assert.Contains(injected, p => p.Key.EndsWith("+ Retry-After", StringComparison.Ordinal));
            Assert.Contains(injected, p => p.Key.StartsWith("list ", StringComparison.Ordinal) && p.Key.Contains("410", StringComparison.Ordinal));
            Assert.Contains(injected, p => p.Key.StartsWith("watch ", StringComparison.Ordinal) && p.Key.Contains("410", StringComparison.Ordinal));
        }
    }

    private static int? IntFromEnvironment(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
