using System.Collections.Concurrent;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using Microsoft.Extensions.Time.Testing;
using static HomeOps.Cluster.Tests.State.Snapshots;

namespace HomeOps.Cluster.Tests.State;

public sealed class CoalescingSubscriptionTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);

    private static void Change(ClusterStore store, string uid, string rv = "1") =>
        store.Dispatch(new ResourcesChanged(Kinds.Kustomization, [Make(Kinds.Kustomization, uid, rv)], [], T0));

    /// <summary>Records each batch with the time of <paramref name="clock"/> (real time unless a test drives its own).</summary>
    private sealed class Recorder(TimeProvider? clock = null)
    {
        public readonly ConcurrentQueue<(DateTimeOffset At, ClusterState State, HashSet<string> Keys)> Batches = new();
        public int Active;
        public int MaxActive;

        public async Task OnBatch(ClusterState state, ChangeSet changes, TimeSpan work = default)
        {
            var now = Interlocked.Increment(ref Active);
            InterlockedMax(ref MaxActive, now);
            var keys = changes.Objects.TryGetValue(Kinds.Kustomization.Key, out var k) ? [.. k] : new HashSet<string>();
            Batches.Enqueue(((clock ?? TimeProvider.System).GetUtcNow(), state, keys));
            if (work > TimeSpan.Zero) await Task.Delay(work);
            Interlocked.Decrement(ref Active);
        }

        public HashSet<string> AllKeys() => [.. Batches.SelectMany(b => b.Keys)];

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current) { }
        }
    }

    [Fact]
    public async Task Many_changes_arrive_in_few_batches_and_no_key_is_lost()
    {
        // 300 changes in six bursts of 50, 20 ms apart, on a clock only this test moves (it failed with 11 batches
        // when the wall clock stretched the bursts on a loaded CI machine).
        var clock = new WindowClock();
        var store = new ClusterStore();
        var recorder = new Recorder(clock);
        using var sub = store.SubscribeCoalesced((s, c) => recorder.OnBatch(s, c), Window, clock);

        const int changes = 300;
        for (var i = 0; i < changes; i++)
        {
            Change(store, $"k{i}");
            if (i % 50 != 49) continue;
            var key = $"k{i}";
            await Wait.UntilAsync(() => recorder.AllKeys().Contains(key) || clock.Waiting > 0, $"{key} delivered or waiting for its window");
            clock.Advance(TimeSpan.FromMilliseconds(20)); // spread over a few windows
        }
        while (recorder.AllKeys().Count < changes)
        {
            await Wait.UntilAsync(() => recorder.AllKeys().Count == changes || clock.Waiting > 0, "the last batch delivered or waiting for its window");
            if (recorder.AllKeys().Count < changes) clock.Advance(Window);
        }

        // The first change at once (leading edge), the rest of the 120 ms in one or two more windows.
        Assert.InRange(recorder.Batches.Count, 2, 3);
        // The last batch carries a state that has everything.
        Assert.Equal(changes, recorder.Batches.Last().State.Slice(Kinds.Kustomization).Items.Count);
    }

    /// <summary>
    /// A clock only the test moves (a <see cref="FakeTimeProvider"/>) that also says whether a timer is waiting on it, so
    /// the test can tell "this change waits for its window" from "this change is still on its way" without sleeping.
    /// </summary>
    private sealed class WindowClock : TimeProvider
    {
        private readonly FakeTimeProvider _fake = new(T0);
        private int _waiting;

        /// <summary>Timers created and not yet fired (the subscription waiting for its window to end).</summary>
        public int Waiting => Volatile.Read(ref _waiting);

        public void Advance(TimeSpan by) => _fake.Advance(by);

        public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

        public override long GetTimestamp() => _fake.GetTimestamp();

        public override long TimestampFrequency => _fake.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _waiting);
            var fired = 0;
            return _fake.CreateTimer(s =>
            {
                if (Interlocked.Exchange(ref fired, 1) == 0) Interlocked.Decrement(ref _waiting);
                callback(s);
            }, state, dueTime, period);
        }
    }

    [Fact]
    public async Task A_steady_stream_is_delivered_at_most_once_per_window()
    {
        // A change every 10 ms for 600 ms, on a clock only this test moves: no wall clock, no scheduler timing.
        var window = TimeSpan.FromMilliseconds(200);
        var clock = new WindowClock();
        var store = new ClusterStore();
        var recorder = new Recorder(clock);
        using var sub = store.SubscribeCoalesced((s, c) => recorder.OnBatch(s, c), window, clock);

        // Time moves only once the change is delivered or merged into a batch that waits for its window.
        Task Settled(string key) => Wait.UntilAsync(() => recorder.AllKeys().Contains(key) || clock.Waiting > 0, $"{key} delivered or waiting for its window");

        for (var i = 0; i < 60; i++)
        {
            Change(store, $"k{i}");
            await Settled($"k{i}");
            clock.Advance(TimeSpan.FromMilliseconds(10));
        }
        while (recorder.AllKeys().Count < 60)
        {
            await Wait.UntilAsync(() => recorder.AllKeys().Count == 60 || clock.Waiting > 0, "the last batch delivered or waiting for its window");
            if (recorder.AllKeys().Count < 60) clock.Advance(window);
        }

        var times = recorder.Batches.Select(b => b.At).ToList();
        for (var i = 1; i < times.Count; i++)
            Assert.True(times[i] - times[i - 1] >= window, $"batches {i - 1} and {i} only {(times[i] - times[i - 1]).TotalMilliseconds} ms apart");
        // The first change at once (leading edge), then one batch as each window ends.
        Assert.Equal([0.0, 200, 400, 600], times.Select(t => (t - T0).TotalMilliseconds));
    }

    [Fact]
    public async Task Deliveries_never_overlap_even_when_the_viewer_is_slow()
    {
        var store = new ClusterStore();
        var recorder = new Recorder();
        using var sub = store.SubscribeCoalesced((s, c) => recorder.OnBatch(s, c, TimeSpan.FromMilliseconds(150)), TimeSpan.FromMilliseconds(20));

        for (var i = 0; i < 40; i++)
        {
            Change(store, $"k{i}");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        await Wait.UntilAsync(() => recorder.AllKeys().Count == 40 && recorder.Active == 0, "every key delivered");
        Assert.Equal(1, recorder.MaxActive);
    }

    [Fact]
    public async Task Paused_subscriptions_accumulate_and_deliver_everything_on_resume()
    {
        var store = new ClusterStore();
        var recorder = new Recorder();
        using var sub = store.SubscribeCoalesced((s, c) => recorder.OnBatch(s, c), TimeSpan.FromMilliseconds(30));

        Change(store, "before");
        await Wait.UntilAsync(() => recorder.Batches.Count == 1, "first batch");

        sub.Paused = true;
        Assert.True(sub.Paused);
        for (var i = 0; i < 20; i++) Change(store, $"hidden{i}");
        // Several windows pass while paused; nothing may be delivered. The wait itself is the assertion's subject.
        var deadline = DateTime.UtcNow.AddMilliseconds(200);
        while (DateTime.UtcNow < deadline)
        {
            Assert.Single(recorder.Batches);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        sub.Paused = false;
        await Wait.UntilAsync(() => recorder.Batches.Count == 2, "resume batch");
        Assert.Equal(20, recorder.Batches.Last().Keys.Count);
    }

    [Fact]
    public async Task Freshness_only_changes_are_delivered()
    {
        var store = new ClusterStore();
        ChangeSet? got = null;
        using var sub = store.SubscribeCoalesced((_, c) => { got = c; return Task.CompletedTask; }, TimeSpan.FromMilliseconds(10));

        store.Dispatch(new FreshnessChanged(Kinds.Node, store.Value.Slice(Kinds.Node).Freshness with { State = FeedState.Live }));

        await Wait.UntilAsync(() => got is not null, "batch");
        Assert.Equal([Kinds.Node.Key], got!.FreshnessChanged);
    }

    [Fact]
    public async Task A_failing_viewer_keeps_receiving_and_dispose_stops_delivery()
    {
        var store = new ClusterStore();
        var calls = 0;
        var sub = store.SubscribeCoalesced((_, _) =>
        {
            Interlocked.Increment(ref calls);
            throw new InvalidOperationException("viewer bug");
        }, TimeSpan.FromMilliseconds(10));

        Change(store, "a");
        await Wait.UntilAsync(() => Volatile.Read(ref calls) == 1, "first call");
        Change(store, "b");
        await Wait.UntilAsync(() => Volatile.Read(ref calls) == 2, "second call despite the exception");

        sub.Dispose();
        Assert.Equal(0, store.SubscriberCount);
        Change(store, "c");
        var deadline = DateTime.UtcNow.AddMilliseconds(100);
        while (DateTime.UtcNow < deadline)
        {
            Assert.Equal(2, Volatile.Read(ref calls));
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
