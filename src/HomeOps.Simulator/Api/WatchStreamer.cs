using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
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

    public async Task StreamAsync(HttpContext context, KindInfo kind, string? @namespace, WatchQuery query)
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
            await WriteEventAsync(response, WatchEventType.Error, ApiResponses.Status(expired).ToJsonString(), context.RequestAborted);
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
                foreach (var initial in subscription.Initial)
                {
                    await WriteEventAsync(response, initial.Type, Render(initial), token);
                }
                if (query.SendInitialEvents)
                {
                    await WriteBookmarkAsync(response, kind, store.ResourceVersion, initialEventsEnd: true, token);
                }
                await PumpAsync(response, kind, subscription, query.AllowBookmarks, Render, token);
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
        }
    }

    private async Task PumpAsync(HttpResponse response, KindInfo kind, WatchSubscription subscription, bool bookmarks,
        Func<StoredEvent, string> render, CancellationToken token)
    {
        var reader = subscription.Events;
        Task<bool>? waiting = null;
        while (!token.IsCancellationRequested)
        {
            while (reader.TryRead(out var next))
            {
                await WriteEventAsync(response, next.Type, render(next), token);
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
                await WriteBookmarkAsync(response, kind, version, initialEventsEnd: false, token);
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
        CancellationToken token)
    {
        var metadata = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) };
        if (initialEventsEnd) metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        var bookmark = new JsonObject { ["kind"] = kind.Kind, ["apiVersion"] = kind.ApiVersion, ["metadata"] = metadata };
        return WriteEventAsync(response, WatchEventType.Bookmark, bookmark.ToJsonString(), token);
    }

    private static async Task WriteEventAsync(HttpResponse response, string type, string objectJson, CancellationToken token)
    {
        var line = Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":{objectJson}}}\n");
        await response.Body.WriteAsync(line, token);
        await response.Body.FlushAsync(token);
    }
}
