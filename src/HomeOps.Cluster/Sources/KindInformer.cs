using System.Text.Json;
using System.Threading.Channels;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using k8s;
using Microsoft.Extensions.Logging;

namespace HomeOps.Cluster.Sources;

/// <summary>
/// One list+watch of one kind, with client-go reflector semantics: list, then watch from the list's resourceVersion
/// with bookmarks; on 410 re-list; on a dropped stream re-watch from the last seen resourceVersion; exponential
/// backoff with full jitter on consecutive failures. Everything it reads goes to the store as actions; its
/// freshness (live, reconnecting, not installed…) is data too and goes the same way.
/// </summary>
public sealed class KindInformer : IKindFeed
{
    /// <summary>Watch events that arrive together are dispatched as one action, up to this many…</summary>
    internal const int MaxBatch = 256;

    /// <summary>…or gathered for at most this long.</summary>
    internal static readonly TimeSpan BatchLinger = TimeSpan.FromMilliseconds(10);

    /// <summary>A watch that lasted this long counts as healthy even if it carried no event.</summary>
    private static readonly TimeSpan HealthySession = TimeSpan.FromSeconds(1);

    /// <summary>A <c>Retry-After</c> longer than this is not believed (a misconfigured proxy must not park a kind for hours).</summary>
    internal static readonly TimeSpan RetryAfterCap = TimeSpan.FromMinutes(1);

    private readonly KubernetesRequests _requests;
    private readonly IDispatcher _dispatcher;
    private readonly IState<ClusterState> _state;
    private readonly ClusterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Backoff _backoff;
    private readonly Action? _notServed;
    private readonly WatchBatch _batch;

    // Written only by the informer's own loop; read by anyone (status pages, tests).
    private volatile string? _resourceVersion;
    private volatile bool _synced;
    private volatile FeedState _feed = FeedState.Connecting;
    private int _reconnects;
    private long _lists;
    private long _events;
    private long _unreadable;
    private string? _unreadableAt;
    private DateTimeOffset _since;

    public KindInformer(KindInfo kind, IKubernetes client, IDispatcher dispatcher, IState<ClusterState> state,
        ClusterOptions options, TimeProvider time, ILogger<KindInformer> logger, Random? random = null, Action? notServed = null)
    {
        _notServed = notServed;
        Kind = kind;
        _requests = new KubernetesRequests(client);
        _dispatcher = dispatcher;
        _state = state;
        _options = options;
        _time = time;
        _logger = logger;
        _backoff = new Backoff(options.BackoffInitial, options.BackoffMax, random);
        _since = time.GetUtcNow();
        _batch = new WatchBatch(kind, state);
    }

    public KindInfo Kind { get; }

    /// <summary>The freshness record as the store holds it (what the UI shows).</summary>
    public Freshness Freshness => _state.Value.Slice(Kind).Freshness;

    public FeedState State => _feed;

    /// <summary>Listed at least once since start.</summary>
    public bool HasSynced => _synced;

    /// <summary>Synced, or the API gave a definitive answer that there is nothing to sync (not installed, forbidden).</summary>
    public bool IsSettled => _synced || _feed is FeedState.NotInstalled or FeedState.Forbidden;

    /// <summary>The last resourceVersion seen (list, event or bookmark); a re-watch resumes from here.</summary>
    public string? ResourceVersion => _resourceVersion;

    /// <summary>How many times a live watch was lost (dropped, expired, silent, failed).</summary>
    public int Reconnects => Volatile.Read(ref _reconnects);

    public long Lists => Interlocked.Read(ref _lists);

    public long EventsReceived => Interlocked.Read(ref _events);

    /// <summary>Watch lines that could not be read (corrupt, truncated, nested too deep); each one ended its session.</summary>
    public long UnreadableEvents => Interlocked.Read(ref _unreadable);

    public override string ToString() => $"{Kind.Key}: {_feed}, rv {_resourceVersion}, reconnects {Reconnects}";

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled. Never throws otherwise.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var needList = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan? wait = null;
            try
            {
                if (needList)
                {
                    await ListAsync(cancellationToken).ConfigureAwait(false);
                    needList = false;
                }
                var end = await WatchAsync(cancellationToken).ConfigureAwait(false);
                if (end.Healthy) _backoff.Reset();
                needList = end.Relist;
                Disconnected(end.Reason);
                // A healthy session that simply ended resumes at once (client-go does the same); one that failed fast backs off.
                if (!end.Healthy) wait = _backoff.Next();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                wait = OnFailure(ApiFailure.From(ex, Kind), ex, ref needList);
            }

            if (wait is { } delay && delay > TimeSpan.Zero)
            {
                try { await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
            }
        }
    }

    private TimeSpan? OnFailure(ApiFailure failure, Exception ex, ref bool needList)
    {
        switch (failure.Kind)
        {
            case ApiFailureKind.Expired or ApiFailureKind.ResourceVersionUnavailable:
                // The normal way a watch ages out: re-list now; back off only if it keeps happening.
                // (KubernetesClient throws here when the 410 ERROR event is the whole, already finished response;
                // on a stream that was open it arrives through onError instead. Either way it is worth a line.)
                _logger.LogInformation("{Kind}: {Message}; re-listing", Kind.Key, failure.Message);
                needList = true;
                Disconnected(failure.Message);
                var relistDelay = _backoff.Next();
                return _backoff.Failures == 1 ? null : relistDelay;
            case ApiFailureKind.NotInstalled:
                needList = true;
                _backoff.Reset();
                // Deleting a CRD deletes its objects: what we held no longer exists (unlike Forbidden, where it may).
                if (_state.Value.Slice(Kind).Items.Count > 0)
                    _dispatcher.Dispatch(new ResourcesReplaced(Kind, [], _time.GetUtcNow()));
                Publish(FeedState.NotInstalled, failure.Message);
                _logger.LogInformation("{Kind}: not served by the API; looking again in {Retry}", Kind.Key, _options.NotInstalledRetry);
                // The CRD went away (or moved to another version) since discovery last looked: let it look again now.
                _notServed?.Invoke();
                return _options.NotInstalledRetry;
            case ApiFailureKind.Forbidden:
                needList = true;
                Publish(FeedState.Forbidden, failure.Message);
                _logger.LogWarning("{Kind}: forbidden: {Message}", Kind.Key, failure.Message);
                return _backoff.Next();
            default:
                // Transport errors re-watch from the last resourceVersion (the data may still be continuous);
                // anything else re-lists, because we cannot tell what was missed.
                // 429 (API Priority and Fairness) says "not now", not "you missed something": re-watch, as client-go does.
                if (failure.Kind != ApiFailureKind.Transport && failure.StatusCode != 429 || _resourceVersion is null) needList = true;
                if (ex is JsonException) Interlocked.Increment(ref _unreadable); // the first line of a watch, or a list body
                Publish(_synced ? FeedState.Reconnecting : FeedState.Error, failure.Message);
                var delay = _backoff.Next();
                // The server said when to come back (throttling, overload): never sooner.
                if (failure.RetryAfter is { } after && after > delay) delay = after < RetryAfterCap ? after : RetryAfterCap;
                _logger.LogWarning("{Kind}: {Message} ({Exception}); retrying in {Delay:0.0} s",
                    Kind.Key, failure.Message, ex.GetType().Name, delay.TotalSeconds);
                return delay;
        }
    }

    /// <summary>
    /// Lists every object in pages of <see cref="ClusterOptions.ListPageSize"/>, replaces the kind's slice in the store,
    /// and remembers the list's resourceVersion. Every page is read at the first page's resourceVersion; if that one is
    /// compacted mid-list the server answers 410 and the whole list starts again (the half read so far is dropped).
    /// </summary>
    private async Task ListAsync(CancellationToken ct)
    {
        var items = new List<ResourceSnapshot>();
        // A re-list mostly finds the objects as they were: their unchanged parts are reused (WatchItem.Decode).
        var held = _state.Value.Slice(Kind).Items;
        var collection = KubernetesRequests.CollectionPath(Kind);
        string? continueToken = null;
        string? listVersion = null;
        do
        {
            var query = new List<string>();
            if (_options.ListPageSize > 0) query.Add($"limit={_options.ListPageSize}");
            if (!string.IsNullOrEmpty(continueToken)) query.Add($"continue={Uri.EscapeDataString(continueToken)}");
            var page = await ReadPageAsync(query.Count == 0 ? collection : $"{collection}?{string.Join('&', query)}", held, items, ct)
                .ConfigureAwait(false);
            listVersion = page.ResourceVersion ?? listVersion;
            continueToken = page.Continue;
        }
        while (!string.IsNullOrEmpty(continueToken));

        Interlocked.Increment(ref _lists);
        _dispatcher.Dispatch(new ResourcesReplaced(Kind, items, _time.GetUtcNow()));
        _synced = true;
        _resourceVersion = listVersion;
        _logger.LogDebug("{Kind}: listed {Count} objects at resourceVersion {ResourceVersion}", Kind.Key, items.Count, listVersion);
    }

    /// <summary>One list request, bounded by the client's request timeout (KubernetesClient's <c>HttpClientTimeout</c>).</summary>
    private async Task<ListPage> ReadPageAsync(string pathAndQuery, IReadOnlyDictionary<string, ResourceSnapshot> held,
        List<ResourceSnapshot> items, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_requests.RequestTimeout);
        using var response = await _requests.GetAsync(pathAndQuery, timeout.Token).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        return await ListPage.ReadAsync(body, Kind, _time.GetUtcNow(), held, items, timeout.Token).ConfigureAwait(false);
    }

    private TimeSpan StaleTimeout => _options.StaleAfter > TimeSpan.Zero ? _options.StaleAfter : Timeout.InfiniteTimeSpan;

    private readonly record struct WatchEnd(bool Relist, bool Healthy, string Reason);

    /// <summary>
    /// One watch session from <see cref="_resourceVersion"/>. Returns how it ended (server closed, 410, silence,
    /// dropped). Throws only if the watch could not be opened at all.
    /// </summary>
    private async Task<WatchEnd> WatchAsync(CancellationToken ct)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var startedAt = _time.GetTimestamp();

        // The request returns when the response headers arrive: from then on the watch is established.
        var watchPath = $"{KubernetesRequests.CollectionPath(Kind)}?watch=true&allowWatchBookmarks=true"
            + (string.IsNullOrEmpty(_resourceVersion) ? "" : $"&resourceVersion={Uri.EscapeDataString(_resourceVersion)}");
        using var response = await _requests.GetAsync(watchPath, session.Token).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(session.Token).ConfigureAwait(false);

        var channel = Channel.CreateBounded<WatchItem>(
            new BoundedChannelOptions(4 * MaxBatch) { SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        KubernetesException? status = null;
        Exception? unreadable = null;
        // Live once the first line has been read and is not an ERROR (410 for a compacted resourceVersion means the watch
        // never got going: it must not flash "live"). The pump calls this before it hands that line's event on.
        // Backoff is reset only when the session proves healthy, so a watch that opens and fails at once still backs off.
        void FirstEvent() => Publish(FeedState.Live, null);
        var pump = PumpAsync(Kind, _state, _time, body, channel.Writer, FirstEvent, error =>
        {
            // A watch ERROR event (e.g. 410 Expired) is reported here as a KubernetesException, as KubernetesClient reports
            // it. Remember it and stop reading: what follows cannot be trusted.
            if (error is KubernetesException k8s)
            {
                status = k8s;
                channel.Writer.TryComplete();
            }
            else
            {
                // A line we cannot read may be an event we need. Skipping it would lose that change for good (the next
                // event moves the resourceVersion past it), so stop here and resume from the last event we did read, as
                // client-go does: the server replays from there. Events read before this line are still applied.
                unreadable ??= error;
                channel.Writer.TryComplete();
            }
        }, session.Token);

        var delivered = 0L;
        string? stopReason = null;
        var relist = false;
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await channel.Reader.WaitToReadAsync(session.Token).AsTask()
                        .WaitAsync(StaleTimeout, _time, session.Token).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Nothing at all, not even a bookmark: the connection may be hung without anyone closing it.
                    stopReason = $"watch silent for {_options.StaleAfter.TotalSeconds:0.#} s (no event or bookmark)";
                    break;
                }
                if (!more) break;
                var batch = await ProcessBatchAsync(channel.Reader, session.Token).ConfigureAwait(false);
                delivered += batch.Count;
                if (batch.Regressed)
                {
                    relist = true;
                    stopReason = "resourceVersion went backwards (the API's store was reset)";
                    break;
                }
            }
            if (stopReason is null)
            {
                try { await channel.Reader.Completion.ConfigureAwait(false); }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    stopReason = $"watch stream dropped: {ApiFailure.From(ex, Kind).Message}";
                }
            }
        }
        finally
        {
            session.Cancel();
            await pump.ConfigureAwait(false);
        }
        ct.ThrowIfCancellationRequested();

        var healthy = delivered > 0 || _time.GetElapsedTime(startedAt) >= HealthySession;
        if (status is not null)
        {
            var failure = ApiFailure.From(status, Kind);
            // Disconnected logs the reason when a live watch ends; an ERROR as the very first line never went live.
            if (_feed != FeedState.Live) _logger.LogInformation("{Kind}: {Reason}; re-listing", Kind.Key, failure.Message);
            // Any ERROR status ends the session; 410 is the expected one. Re-listing is always safe.
            return new WatchEnd(Relist: true, Healthy: healthy, failure.Message);
        }
        if (unreadable is not null && stopReason is null) return Unreadable(unreadable, healthy);
        return new WatchEnd(relist, healthy, stopReason ?? "watch stream closed by the server");
    }

    /// <summary>
    /// Reads the watch stream line by line (<see cref="Utf8LineSplitter"/>), decodes each event (health rule included)
    /// and hands it to the batcher. Decoding here, on the reader's side of the channel, lets each line's bytes be reused
    /// at once, and overlaps decoding with the store updates of the previous batch.
    /// </summary>
    private static async Task PumpAsync(KindInfo kind, IState<ClusterState> state, TimeProvider time, Stream body,
        ChannelWriter<WatchItem> writer, Action firstEvent, Action<Exception> onError, CancellationToken ct)
    {
        try
        {
            using var lines = new Utf8LineSplitter(body);
            var first = true;
            while (await lines.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
            {
                if (WatchLines.Read(line, kind, time.GetUtcNow(), out var error, state.Value.Slice(kind).Items) is { } item)
                {
                    if (first) firstEvent();
                    first = false;
                    await writer.WriteAsync(item, ct).ConfigureAwait(false);
                }
                else
                {
                    onError(error!);
                }
            }
            writer.TryComplete();
        }
        catch (ChannelClosedException)
        {
            // The consumer stopped reading (an ERROR status arrived).
        }
        catch (Exception ex)
        {
            writer.TryComplete(ex);
        }
    }

    private readonly record struct BatchResult(int Count, bool Regressed);

    /// <summary>
    /// Drains what is available (up to <see cref="MaxBatch"/> events, lingering at most <see cref="BatchLinger"/>)
    /// and dispatches it as one <see cref="ResourcesChanged"/>: one store update instead of hundreds keeps
    /// throughput high when many objects change at once.
    /// </summary>
    private async Task<BatchResult> ProcessBatchAsync(ChannelReader<WatchItem> reader, CancellationToken ct)
    {
        var batch = _batch;
        batch.Clear(); // a batch abandoned by cancellation must not leak into this one
        var started = _time.GetTimestamp();
        var count = 0;
        var regressed = false;

        while (count < MaxBatch)
        {
            if (!reader.TryRead(out var ev))
            {
                var remaining = BatchLinger - _time.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero) break;
                var more = reader.WaitToReadAsync(ct).AsTask();
                if (await Task.WhenAny(more, Task.Delay(remaining, _time, ct)).ConfigureAwait(false) != more) break;
                bool available;
                // A stream that broke while we lingered completes the channel with its error, and WaitToReadAsync throws
                // it. The events already taken from the channel must still be dispatched: the resourceVersion has moved
                // past them, so throwing here would lose them for good. The caller sees the error on Completion.
                try { available = await more.ConfigureAwait(false); }
                catch (Exception) when (!ct.IsCancellationRequested) { break; }
                if (!available) break;
                continue;
            }
            count++;
            Interlocked.Increment(ref _events);
            var version = ev.ResourceVersion;
            if (IsRegression(version))
            {
                regressed = true;
                break;
            }
            // Bookmark: only its resourceVersion matters. Error: reported through onError, never yielded.
            batch.Add(ev);
            if (!string.IsNullOrEmpty(version)) _resourceVersion = version;
        }

        if (batch.Take(_time.GetUtcNow()) is { } action) _dispatcher.Dispatch(action);
        return new BatchResult(count, regressed);
    }

    /// <summary>
    /// An unreadable line ended the session: resume from the last event read. If the previous session ended on an
    /// unreadable line at this same resourceVersion, the server keeps replaying something we cannot read: re-list
    /// instead (a list moves past it), so one bad object cannot hold the whole kind in a loop.
    /// </summary>
    private WatchEnd Unreadable(Exception error, bool healthy)
    {
        Interlocked.Increment(ref _unreadable);
        var again = _unreadableAt is not null && _unreadableAt == _resourceVersion;
        _unreadableAt = again ? null : _resourceVersion;
        var detail = error.Message.Length > 160 ? error.Message[..160] + "…" : error.Message;
        _logger.LogWarning("{Kind}: unreadable watch event ({Exception}: {Message}); {Next}", Kind.Key, error.GetType().Name, detail,
            again ? "re-listing" : $"resuming from resourceVersion {_resourceVersion}");
        return new WatchEnd(Relist: again, Healthy: healthy && !again,
            $"unreadable watch event ({error.GetType().Name}); {(again ? "re-listing" : "resuming from the last event read")}");
    }

    /// <summary>
    /// resourceVersions are opaque, but on every real API (etcd revisions) and on the simulator they are increasing
    /// integers. One that goes backwards means the server's store was reset under us: only a re-list is safe.
    /// </summary>
    private bool IsRegression(string? version) =>
        ulong.TryParse(version, out var next) && ulong.TryParse(_resourceVersion, out var last) && next < last;

    /// <summary>The watch is no longer running: never keep showing "live" while not watching.</summary>
    private void Disconnected(string reason)
    {
        if (_feed == FeedState.Live)
            _logger.LogInformation("{Kind}: {Reason}; reconnecting", Kind.Key, reason);
        Publish(_synced ? FeedState.Reconnecting : FeedState.Connecting, reason);
    }

    private void Publish(FeedState state, string? error)
    {
        var now = _time.GetUtcNow();
        if (state != _feed)
        {
            // Every loss of a live watch, whatever the cause, is one reconnect.
            if (_feed == FeedState.Live) Interlocked.Increment(ref _reconnects);
            _since = now;
            _feed = state;
            if (state == FeedState.Live) _logger.LogInformation("{Kind}: live at resourceVersion {ResourceVersion}", Kind.Key, _resourceVersion);
        }
        // Only this informer writes this kind's slice, so read-modify-write of its freshness is race-free;
        // Synced/LastSyncAt/LastEventAt are maintained by the reducers of the data actions.
        var current = _state.Value.Slice(Kind).Freshness;
        var next = current with { State = state, LastError = error, Since = _since, Reconnects = Reconnects, Polled = false };
        _dispatcher.Dispatch(new FreshnessChanged(Kind, next));
    }
}
