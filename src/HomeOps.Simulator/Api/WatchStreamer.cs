using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Faults;
using HomeOps.Simulator.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HomeOps.Simulator.Api;

/// <summary>
/// Serves <c>?watch=true</c>: HTTP 200 with a chunked body of newline-delimited JSON events, each flushed on its
/// own, as the API server streams them. Resumes from a resourceVersion (or sends the current objects as ADDED),
/// sends periodic BOOKMARKs when asked, honours <c>timeoutSeconds</c>, and reports an expired resourceVersion as a
/// single ERROR event carrying a 410 Status. When kubectl asks for Tables, each object is sent as a one-row Table.
/// </summary>
internal sealed class WatchStreamer(ClusterObjectStore store, TimeSpan bookmarkInterval, TimeProvider time, ILogger log)
{
    // The API server closes a watch after a random 30–60 minutes when the client sets no timeout.
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

    /// <param name="tap">Where lines go through on their way out (fault injection, session recording); null sends them directly.</param>
    public async Task StreamAsync(HttpContext context, KindInfo kind, string? @namespace, WatchQuery query, WatchStreamTap? tap = null)
    {
        var response = context.Response;
        var asTable = TableResponse.Requested(context.Request);
        var include = TableResponse.Include(context.Request);
        string Render(StoredEvent e) =>
            !asTable || e.Type is WatchEventType.Bookmark or WatchEventType.Error
                ? e.ObjectJson
                : TableResponse.Build(kind, [JsonNode.Parse(e.ObjectJson)!.AsObject()], e.ResourceVersion, time.GetUtcNow(), include).ToJsonString();
        WatchSubscription subscription;
        try
        {
            // With sendInitialEvents the client wants the current objects first, then a bookmark marking their end.
            var from = query.SendInitialEvents ? null : query.ResourceVersion;
            subscription = store.Watch(kind, @namespace, query.Labels, query.Fields, from);
        }
        catch (ApiException expired) when (expired.Code == HttpStatusCode.Gone)
        {
            await StartAsync(response);
            tap?.Started();
            try
            {
                await WriteEventAsync(response, WatchEventType.Error, ApiResponses.Status(expired).ToJsonString(), context.RequestAborted);
            }
            finally
            {
                tap?.Ended();
            }
            return;
        }

        using (subscription)
        using (var lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted))
        {
            lifetime.CancelAfter(query.Timeout ?? DefaultTimeout);
            var token = lifetime.Token;
            try
            {
                await StartAsync(response);
                tap?.Started();
                foreach (var initial in subscription.Initial)
                {
                    await SendAsync(tap, response, initial, Render(initial), token);
                }
                if (query.SendInitialEvents)
                {
                    await WriteBookmarkAsync(response, kind, store.ResourceVersion, initialEventsEnd: true, tap, token);
                }
                await PumpAsync(response, kind, subscription, query.AllowBookmarks, Render, tap, token);
                if (subscription.AbortConnection) context.Abort();
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // timeoutSeconds elapsed or the client went away: the stream just ends.
            }
            catch (IOException e)
            {
                log.LogDebug(e, "Watch client for {Kind} disconnected", kind.Kind);
            }
            finally
            {
                tap?.Ended();
            }
        }
    }

    private async Task PumpAsync(HttpResponse response, KindInfo kind, WatchSubscription subscription, bool bookmarks,
        Func<StoredEvent, string> render, WatchStreamTap? tap, CancellationToken token)
    {
        var reader = subscription.Events;
        Task<bool>? waiting = null;
        while (!token.IsCancellationRequested)
        {
            while (reader.TryRead(out var next))
            {
                await SendAsync(tap, response, next, render(next), token);
            }
            waiting ??= reader.WaitToReadAsync(token).AsTask();
            var tick = Task.Delay(bookmarks ? bookmarkInterval : Timeout.InfiniteTimeSpan, token);
            var first = await Task.WhenAny(waiting, tick);
            if (first == waiting)
            {
                var more = await waiting;
                waiting = null;
                if (!more) return; // the store closed this watch (dropped, restarted, or too slow)
                continue;
            }
            if (token.IsCancellationRequested) return;
            if (store.BookmarkVersion(subscription) is { } version)
            {
                await WriteBookmarkAsync(response, kind, version, initialEventsEnd: false, tap, token);
            }
        }
    }

    private static async Task StartAsync(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ApiResponses.JsonContentType;
        // No Content-Length: Kestrel sends the body chunked, and each flush puts one event on the wire.
        await response.StartAsync();
        // StartAsync only queues the headers; flush them so the client's watch call returns before the first event.
        await response.Body.FlushAsync();
    }

    private static Task WriteBookmarkAsync(HttpResponse response, KindInfo kind, long version, bool initialEventsEnd,
        WatchStreamTap? tap, CancellationToken token)
    {
        var metadata = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) };
        if (initialEventsEnd) metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        var bookmark = new JsonObject { ["kind"] = kind.Kind, ["apiVersion"] = kind.ApiVersion, ["metadata"] = metadata };
        return tap is null
            ? WriteEventAsync(response, WatchEventType.Bookmark, bookmark.ToJsonString(), token)
            : tap.WriteAsync(EncodeLine(WatchEventType.Bookmark, bookmark.ToJsonString()), objectKey: null, token);
    }

    /// <summary>Sends one object event, through the tap when there is one (it needs the object's identity to reorder events).</summary>
    private static Task SendAsync(WatchStreamTap? tap, HttpResponse response, StoredEvent stored, string objectJson, CancellationToken token) =>
        tap is null
            ? WriteEventAsync(response, stored.Type, objectJson, token)
            : tap.WriteAsync(EncodeLine(stored.Type, objectJson), $"{stored.Namespace}/{stored.Name}", token);

    private static async Task WriteEventAsync(HttpResponse response, string type, string objectJson, CancellationToken token)
    {
        var line = EncodeLine(type, objectJson);
        await response.Body.WriteAsync(line, token);
        await response.Body.FlushAsync(token);
    }

    /// <summary>One watch event as a line of JSON: <c>{"type":…,"object":…}</c> and a newline.</summary>
    internal static byte[] EncodeLine(string type, string objectJson) =>
        Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":{objectJson}}}\n");
}
