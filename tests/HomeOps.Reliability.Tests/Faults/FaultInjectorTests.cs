using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Tests.State;
using HomeOps.Simulator;
using HomeOps.Simulator.Faults;

namespace HomeOps.Reliability.Tests.Faults;

/// <summary>
/// The simulator's fault injection itself, seen from a plain HTTP client: schedules are deterministic, and each kind of
/// damage reaches the wire as described (so the schedule tests exercise what they claim to).
/// </summary>
public sealed class FaultInjectorTests : IAsyncLifetime
{
    private SimulatorHost _sim = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _sim = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Scenarios = { Enabled = false } },
            cancellationToken: TestContext.Current.CancellationToken);
        _http = new HttpClient { BaseAddress = _sim.BaseUri, Timeout = TimeSpan.FromSeconds(20) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _sim.KubernetesToken);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _sim.DisposeAsync();
    }

    [Fact]
    public void The_same_seed_plans_the_same_faults_and_other_seeds_differ()
    {
        KindInfo[] kinds = [Kinds.Node, Kinds.Kustomization, Kinds.LonghornVolume];
        var a = new FaultSchedule(42, kinds).Describe();
        var b = new FaultSchedule(42, kinds).Describe();
        var c = new FaultSchedule(43, kinds).Describe();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Contains("Node:", a);
    }

    [Fact]
    public async Task A_scheduled_429_carries_Retry_After_and_a_Status_body_then_the_next_request_passes()
    {
        var schedule = FaultSchedule.Scripted(s => s.Request(Kinds.Node, 0, RequestFault.TooManyRequests(TimeSpan.FromSeconds(1))));
        _sim.Faults.Arm(schedule);
        var recorder = _sim.Faults.StartRecording();
        var ct = TestContext.Current.CancellationToken;

        using var throttled = await _http.GetAsync("api/v1/nodes", ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), throttled.Headers.RetryAfter?.Delta);
        using var status = JsonDocument.Parse(await throttled.Content.ReadAsStringAsync(ct));
        Assert.Equal("Status", status.RootElement.GetProperty("kind").GetString());
        Assert.Equal(429, status.RootElement.GetProperty("code").GetInt32());
        Assert.Equal("TooManyRequests", status.RootElement.GetProperty("reason").GetString());

        using var ok = await _http.GetAsync("api/v1/nodes", ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(1, schedule.Injected["list 429 Too Many Requests + Retry-After"]);
        Assert.Equal(["429 Too Many Requests + Retry-After", null], recorder.Requests.Select(r => r.Fault));
    }

    [Fact]
    public async Task Damaged_lines_reach_the_wire_as_planned_duplicate_reorder_slow_then_ended_mid_line()
    {
        // A watch from "0" starts with an ADDED line per node (mini01..03), in resourceVersion order.
        _sim.Faults.Arm(FaultSchedule.Scripted(s => s
            .Line(Kinds.Node, 0, 0, FaultType.DuplicateEvent)
            .Line(Kinds.Node, 0, 1, FaultType.ReorderEvents)
            .Line(Kinds.Node, 0, 3, FaultType.SlowPartialLine)
            .Line(Kinds.Node, 0, 4, FaultType.EndMidLine)));
        var recorder = _sim.Faults.StartRecording();
        var ct = TestContext.Current.CancellationToken;
        using var response = await _http.GetAsync("api/v1/nodes?watch=true&resourceVersion=0", HttpCompletionOption.ResponseHeadersRead, ct);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(body, Encoding.UTF8);

        var lines = new List<string>();
        for (var i = 0; i < 4; i++) lines.Add((await reader.ReadLineAsync(ct))!);
        // Two more lines are needed: a change makes one (slow), another makes the one that is cut.
        Annotate("mini01", "a");
        lines.Add((await reader.ReadLineAsync(ct))!);
        Annotate("mini02", "b");
        var rest = await reader.ReadToEndAsync(ct); // the server ends the response in the middle of the line

        string NameOf(string line) => JsonDocument.Parse(line).RootElement.GetProperty("object").GetProperty("metadata").GetProperty("name").GetString()!;
        Assert.Equal(["mini01", "mini01", "mini03", "mini02"], lines.Take(4).Select(NameOf));
        Assert.Equal("mini01", NameOf(lines[4])); // the slow line arrived whole
        Assert.False(string.IsNullOrEmpty(rest));
        Assert.DoesNotContain('\n', rest);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(rest));

        await Wait.UntilAsync(() => recorder.OpenSessions == 0, "the server ended the session");
        var session = Assert.Single(recorder.Sessions);
        Assert.Equal(FaultNames.Of(FaultType.EndMidLine), session.EndedBy);
        var injected = _sim.Faults.Schedule!.Injected;
        Assert.Equal(1, injected["stream duplicated event"]);
        Assert.Equal(1, injected["stream reordered events (different objects)"]);
        Assert.Equal(1, injected["stream slow line in chunks"]);
        Assert.Equal(1, injected["stream response ended mid-line"]);
    }

    [Fact]
    public async Task A_cut_resets_the_connection_after_half_a_line_and_an_ERROR_410_ends_the_stream()
    {
        _sim.Faults.Arm(FaultSchedule.Scripted(s => s
            .Line(Kinds.Node, 0, 3, FaultType.CutMidLine)
            .Line(Kinds.Node, 1, 0, FaultType.ErrorEvent410)));
        var recorder = _sim.Faults.StartRecording();
        var ct = TestContext.Current.CancellationToken;

        using (var response = await _http.GetAsync("api/v1/nodes?watch=true&resourceVersion=0", HttpCompletionOption.ResponseHeadersRead, ct))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            for (var i = 0; i < 3; i++) Assert.NotNull(await reader.ReadLineAsync(ct));
            // Read everything first: a TCP reset may discard what the client has not read yet.
            Annotate("mini01", "cut");
            await Assert.ThrowsAnyAsync<IOException>(async () => await reader.ReadToEndAsync(ct));
        }

        using (var response = await _http.GetAsync("api/v1/nodes?watch=true&resourceVersion=0", HttpCompletionOption.ResponseHeadersRead, ct))
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            var error = JsonDocument.Parse(text.TrimEnd('\n')).RootElement;
            Assert.Equal("ERROR", error.GetProperty("type").GetString());
            Assert.Equal(410, error.GetProperty("object").GetProperty("code").GetInt32());
        }

        await Wait.UntilAsync(() => recorder.OpenSessions == 0, "both sessions ended");
        Assert.Equal([FaultNames.Of(FaultType.CutMidLine), FaultNames.Of(FaultType.ErrorEvent410)], recorder.Sessions.Select(s => s.EndedBy));
        Assert.All(recorder.Sessions, s => Assert.True(s.Ended > s.Started));
    }

    [Fact]
    public async Task An_injected_line_goes_out_before_the_next_line_of_an_open_watch()
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await _http.GetAsync("api/v1/nodes?watch=true&resourceVersion=0", HttpCompletionOption.ResponseHeadersRead, ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        for (var i = 0; i < 3; i++) Assert.NotNull(await reader.ReadLineAsync(ct));

        _sim.Faults.InjectLine(Kinds.Node, "this is not json");
        Annotate("mini03", "c");
        Assert.Equal("this is not json", await reader.ReadLineAsync(ct));
        Assert.Contains("mini03", await reader.ReadLineAsync(ct));
        Assert.Equal(0, _sim.Faults.PendingInjectedLines(Kinds.Node));
    }

    private void Annotate(string node, string value) =>
        _sim.Cluster.Update(Kinds.Node, null, node, o =>
        {
            var meta = o["metadata"]!.AsObject();
            if (meta["annotations"] is not System.Text.Json.Nodes.JsonObject annotations) meta["annotations"] = annotations = new();
            annotations["homeops.test/fault"] = value;
        });
}
