using HomeOps.Dashboard.Hubs;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Guards;

namespace HomeOps.Dashboard.Tests.Operations;

/// <summary>The hub's run stream against the real engine: a client that stops reading costs a bounded queue, not memory.</summary>
public sealed class RunEventStreamTests : OperationsTestContext
{
    private static readonly Actor Operator = new("admin", ["homeops-operators"], true, DateTimeOffset.UtcNow);

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_client_that_stops_reading_gets_a_dropped_marker_then_the_current_and_final_state()
    {
        const int capacity = 16;
        var created = await Engine.CreateAsync(new RunRequest(NoisyWorkflowId, new Dictionary<string, string?>()), Operator, Ct);
        Assert.True(created.Accepted, created.ToString());
        var runId = created.RunId!.Value;
        await using var stream = RunEventStream.ReadAsync(Engine, TimeProvider.System, runId, Ct, capacity).GetAsyncEnumerator(Ct);
        Assert.True(await stream.MoveNextAsync());
        Assert.Equal(RunEventTypes.State, stream.Current.Type);

        // The client reads nothing while the run prints 500 lines and ends.
        Assert.True((await Engine.StartAsync(runId, Operator, Ct)).Accepted);
        var stopped = await Engine.WaitUntilStoppedAsync(runId, Ct);
        Assert.Equal(HomeOps.Operations.Persistence.RunStatus.Succeeded, stopped!.Status);

        var rest = new List<RunEventDto>();
        while (await stream.MoveNextAsync()) rest.Add(stream.Current);

        var marker = Assert.Single(rest, e => e.Type == RunEventTypes.Dropped);
        Assert.True(marker.Dropped >= 500 - capacity, $"dropped {marker.Dropped}");
        Assert.Equal(RunEventTypes.State, rest[rest.IndexOf(marker) + 1].Type);
        // What was kept is at most the queue plus the markers and states, and the lines still arrive in order.
        Assert.True(rest.Count <= capacity + 4, $"{rest.Count} items after the pause");
        var numbers = rest.Where(e => e.Type == RunEventTypes.Line).Select(e => e.LineNumber!.Value).ToList();
        Assert.Equal(numbers.Order().Distinct(), numbers);
        Assert.Equal("Succeeded", rest[^1].Run!.Status);
    }

    [Fact]
    public async Task A_stream_opened_after_the_run_ended_sends_the_stored_log_once_and_the_state()
    {
        var started = await Engine.TriggerAsync(new RunRequest(TestWorkflowId, new Dictionary<string, string?>()), Operator, Ct);
        await Engine.WaitUntilStoppedAsync(started.RunId!.Value, Ct);

        var items = new List<RunEventDto>();
        await foreach (var e in RunEventStream.ReadAsync(Engine, TimeProvider.System, started.RunId!.Value, Ct)) items.Add(e);

        Assert.Equal(RunEventTypes.State, items[0].Type);
        Assert.Equal("Succeeded", items[0].Run!.Status);
        var texts = items.Where(e => e.Type == RunEventTypes.Line).Select(e => e.Text).ToList();
        Assert.Single(texts, t => t == "first-line");
        Assert.Single(texts, t => t == "second-line");
    }

    [Fact]
    public async Task An_unknown_run_is_a_hub_error_that_names_it()
    {
        var id = Guid.NewGuid();
        var error = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(async () =>
        {
            await foreach (var _ in RunEventStream.ReadAsync(Engine, TimeProvider.System, id, Ct)) { }
        });
        Assert.Equal($"Run {id} does not exist.", error.Message);
    }
}
