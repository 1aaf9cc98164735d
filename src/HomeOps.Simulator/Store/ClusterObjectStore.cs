using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HomeOps.Simulator.Store;

/// <summary>
/// The simulated cluster's objects, with the API server's write semantics: one global, monotonically increasing
/// resourceVersion (etcd's revision), uid and creationTimestamp on create, generation bumped on spec changes,
/// status-subresource rules, optimistic concurrency, and a bounded event history that watches resume from.
/// Every change — API writes, scenarios, seeding — goes through here, so every watch sees it.
/// Objects handed out are copies; the store's own objects never leave its lock.
/// </summary>
public sealed class ClusterObjectStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<ObjectKey, JsonObject>> _objects = new(StringComparer.Ordinal);
    private readonly List<WatchSubscription> _watchers = [];
    private readonly EventHistory _history;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly IReadOnlyList<KindInfo> _kinds;
    private long _resourceVersion;

    /// <param name="kinds">The kinds held, at the version they are stored and served at; by default the live cluster's.</param>
    public ClusterObjectStore(TimeProvider? time = null, ILogger<ClusterObjectStore>? log = null, int historyCapacity = 10_000,
        IReadOnlyList<KindInfo>? kinds = null)
    {
        _time = time ?? TimeProvider.System;
        _log = log ?? NullLogger<ClusterObjectStore>.Instance;
        _history = new EventHistory(historyCapacity);
        _kinds = kinds ?? ServedKinds.All;
        foreach (var kind in _kinds) _objects[kind.Key] = new SortedDictionary<ObjectKey, JsonObject>();
    }

    /// <summary>The kinds this store holds, at their stored versions.</summary>
    public IReadOnlyList<KindInfo> Kinds => _kinds;

    /// <summary>The current (latest) resourceVersion.</summary>
    public long ResourceVersion
    {
        get { lock (_gate) return _resourceVersion; }
    }

    /// <summary>The oldest resourceVersion a watch or list can still start from.</summary>
    public long OldestResumableVersion
    {
        get { lock (_gate) return _history.OldestResumable; }
    }

    public int OpenWatchCount
    {
        get { lock (_gate) return _watchers.Count; }
    }

    // ---- reads ----

    public JsonObject? Get(KindInfo kind, string? @namespace, string name)
    {
        var served = Served(kind);
        lock (_gate)
        {
            return Bucket(served).TryGetValue(KeyFor(served, @namespace, name), out var obj) ? (JsonObject)obj.DeepClone() : null;
        }
    }

    /// <summary>
    /// Lists a kind (all namespaces when <paramref name="namespace"/> is null), in key order, as kube-apiserver lists from
    /// etcd. With <paramref name="limit"/> it returns at most that many and, when more remain, a continue token; with
    /// <paramref name="continueToken"/> it returns the next page as the kind was at the first page's revision (read back
    /// through the history, like etcd's MVCC), or 410 Expired once that revision is compacted.
    /// </summary>
    /// <param name="resourceVersion">The list's <c>resourceVersion</c> parameter: an expired one yields 410 Expired.</param>
    public ObjectList List(KindInfo kind, string? @namespace = null, LabelSelector? labels = null,
        FieldSelector? fields = null, string? resourceVersion = null, int? limit = null, string? continueToken = null)
    {
        var served = Served(kind);
        labels ??= LabelSelector.Everything;
        fields ??= FieldSelector.Everything;
        var token = string.IsNullOrEmpty(continueToken) ? (ContinueToken?)null : ContinueToken.Decode(continueToken);
        if (token is not null && !string.IsNullOrEmpty(resourceVersion) && resourceVersion != "0")
            throw ApiException.BadRequest("specifying resource version is not allowed when using continue");
        lock (_gate)
        {
            var snapshot = _resourceVersion;
            IEnumerable<KeyValuePair<ObjectKey, JsonObject>> objects = Bucket(served);
            if (token is { } t)
            {
                if (t.ResourceVersion != ContinueToken.Latest)
                {
                    if (_history.IsExpired(t.ResourceVersion))
                        throw ApiException.ContinueExpired(ContinueToken.Encode(ContinueToken.Latest, t.After));
                    snapshot = t.ResourceVersion;
                    objects = StateAt(served, snapshot);
                }
                objects = objects.Where(e => e.Key.CompareTo(t.After) > 0);
            }
            else if (ParseVersion(resourceVersion) is { } requested && requested != 0 && _history.IsExpired(requested))
            {
                throw ApiException.Expired(requested, _history.OldestResumable);
            }

            var selected = objects.Where(e => Selects(served, e.Key, e.Value, @namespace, labels, fields));
            var items = new List<JsonObject>();
            ObjectKey? last = null;
            var more = false;
            foreach (var (key, obj) in selected)
            {
                if (limit is > 0 && items.Count == limit)
                {
                    more = true;
                    break;
                }
                items.Add((JsonObject)obj.DeepClone());
                last = key;
            }
            if (!more) return new ObjectList(snapshot, items);
            // remainingItemCount only when no selector filters the rest (it would cost a full scan), as on the API server.
            long? remaining = labels.IsEverything && fields == FieldSelector.Everything
                ? objects.Count(e => e.Key.CompareTo(last!.Value) > 0 && Selects(served, e.Key, e.Value, @namespace, labels, fields))
                : null;
            return new ObjectList(snapshot, items, ContinueToken.Encode(snapshot, last!.Value), remaining);
        }
    }

    /// <summary>
    /// A kind as it was at <paramref name="resourceVersion"/>: today's objects with every later change undone, newest
    /// first, from the history (which holds every change after <see cref="EventHistory.OldestResumable"/>).
    /// </summary>
    private SortedDictionary<ObjectKey, JsonObject> StateAt(KindInfo kind, long resourceVersion)
    {
        var state = new SortedDictionary<ObjectKey, JsonObject>(Bucket(kind));
        foreach (var change in _history.NewestFirstAfter(resourceVersion))
        {
            if (change.KindKey != kind.Key) continue;
            var key = new ObjectKey(change.Namespace, change.Name);
            if (change.Previous is { } before) state[key] = before;
            else state.Remove(key);
        }
        return state;
    }

    // ---- writes ----

    /// <summary>Creates an object (POST). Its kind comes from <c>apiVersion</c>/<c>kind</c>.</summary>
    /// <param name="namespaceFromPath">The namespace of the request path, when there is one.</param>
    public JsonObject Create(JsonObject obj, string? namespaceFromPath = null)
    {
        var kind = KindOf(obj);
        var incoming = Prepare(kind, obj, namespaceFromPath);
        lock (_gate)
        {
            var key = KeyOf(incoming);
            if (Bucket(kind).ContainsKey(key)) throw ApiException.AlreadyExists(kind.Plural, kind.Group, key.Name);
            return Commit(kind, key, Initialize(kind, incoming), WatchEventType.Added, previous: null);
        }
    }

    /// <summary>Creates or replaces an object wholesale, status included (seeding, test set-up).</summary>
    public JsonObject Upsert(JsonObject obj)
    {
        var kind = KindOf(obj);
        var incoming = Prepare(kind, obj, namespaceFromPath: null);
        lock (_gate)
        {
            var key = KeyOf(incoming);
            return Bucket(kind).TryGetValue(key, out var current)
                ? Write(kind, key, current, incoming, WriteScope.Everything)
                : Commit(kind, key, Initialize(kind, incoming), WatchEventType.Added, previous: null);
        }
    }

    /// <summary>Replaces an object (PUT), on the object or on its <c>status</c> subresource.</summary>
    public JsonObject Replace(KindInfo kind, string? @namespace, string name, JsonObject obj, bool statusSubresource = false)
    {
        var served = Served(kind);
        lock (_gate)
        {
            var key = KeyFor(served, @namespace, name);
            var current = Current(served, key);
            if (obj["metadata"].String("name") is { } bodyName && bodyName != name)
            {
                throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
            }
            CheckResourceVersion(served, key, current, obj);
            return Write(served, key, current, obj, ScopeFor(served, statusSubresource));
        }
    }

    /// <summary>Patches an object (PATCH) with a merge, strategic merge or JSON patch.</summary>
    /// <param name="contentType">The request's Content-Type, which names the patch format.</param>
    public JsonObject Patch(KindInfo kind, string? @namespace, string name, string contentType, string body,
        bool statusSubresource = false)
    {
        var served = Served(kind);
        var format = PatchFormats.Parse(contentType, served);
        JsonNode? patch;
        try
        {
            patch = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"error decoding patch: {e.Message}");
        }
        lock (_gate)
        {
            var key = KeyFor(served, @namespace, name);
            var current = Current(served, key);
            var patched = format switch
            {
                PatchFormat.Merge => JsonMergePatch.Apply(current, patch),
                PatchFormat.StrategicMerge => JsonMergePatch.Apply(current, patch, strategic: true),
                _ => JsonPatch.Apply(current, patch),
            } as JsonObject ?? throw ApiException.BadRequest("the patch must produce an object");
            CheckResourceVersion(served, key, current, patched);
            return Write(served, key, current, patched, ScopeFor(served, statusSubresource));
        }
    }

    /// <summary>Applies an RFC 7386 merge patch (e.g. a Ready condition on a node's status) — a shortcut for tests and tools.</summary>
    public JsonObject MergePatch(KindInfo kind, string? @namespace, string name, JsonNode patch, bool statusSubresource = false) =>
        Patch(kind, @namespace, name, PatchFormats.MergePatch, patch.ToJsonString(), statusSubresource);

    /// <summary>
    /// A controller-side write (kubelet, Flux, Longhorn…): <paramref name="mutate"/> changes a copy of the object —
    /// spec and status alike — and the result is stored as one MODIFIED event.
    /// </summary>
    public JsonObject Update(KindInfo kind, string? @namespace, string name, Action<JsonObject> mutate)
    {
        var served = Served(kind);
        lock (_gate)
        {
            var key = KeyFor(served, @namespace, name);
            var current = Current(served, key);
            var next = (JsonObject)current.DeepClone();
            mutate(next);
            return Write(served, key, current, next, WriteScope.Everything);
        }
    }

    /// <summary>Deletes an object (DELETE); watches get a DELETED event with the object's last state.</summary>
    public JsonObject Delete(KindInfo kind, string? @namespace, string name)
    {
        var served = Served(kind);
        lock (_gate)
        {
            var key = KeyFor(served, @namespace, name);
            var current = Current(served, key);
            return Commit(served, key, (JsonObject)current.DeepClone(), WatchEventType.Deleted, current);
        }
    }

    // ---- watches and faults ----

    /// <summary>
    /// Opens a watch. With no resourceVersion (or "0") it starts with ADDED for every current object; otherwise it
    /// replays the history after that version, or throws 410 Expired when the history no longer reaches back.
    /// Registration and the initial events are taken under one lock, so nothing is missed or sent twice.
    /// </summary>
    internal WatchSubscription Watch(KindInfo kind, string? @namespace, LabelSelector labels, FieldSelector fields,
        string? resourceVersion)
    {
        var served = Served(kind);
        var subscription = new WatchSubscription(served, @namespace, labels, fields, Unsubscribe);
        lock (_gate)
        {
            var from = ParseVersion(resourceVersion) ?? 0;
            if (from == 0)
            {
                subscription.Initial = Bucket(served)
                    .Where(e => Selects(served, e.Key, e.Value, @namespace, labels, fields))
                    .Select(e => ToEvent(served, e.Key, e.Value, WatchEventType.Added, previousLabels: null))
                    .OrderBy(e => e.ResourceVersion)
                    .ToList();
            }
            else
            {
                if (_history.IsExpired(from)) throw ApiException.Expired(from, _history.OldestResumable);
                subscription.Initial = _history.After(from)
                    .Select(subscription.Project)
                    .OfType<StoredEvent>()
                    .ToList();
            }
            _watchers.Add(subscription);
        }
        return subscription;
    }

    /// <summary>
    /// The resourceVersion a BOOKMARK may carry for this watch right now, or null while it still has queued events
    /// (a bookmark must never claim progress past an event the client has not received yet).
    /// </summary>
    internal long? BookmarkVersion(WatchSubscription subscription)
    {
        lock (_gate)
        {
            return subscription.HasPending || subscription.Closed ? null : _resourceVersion;
        }
    }

    /// <summary>Ends every open watch stream (clients see the stream end and must resume).</summary>
    /// <param name="abortConnections">Reset the connections instead of ending the streams cleanly (a crashing API server).</param>
    public int DropAllWatches(bool abortConnections = false)
    {
        lock (_gate)
        {
            var dropped = _watchers.Count;
            foreach (var watcher in _watchers) watcher.Close(abortConnections);
            _watchers.Clear();
            return dropped;
        }
    }

    /// <summary>Ends the open watch streams of one kind (its CRD was removed, or RBAC changed).</summary>
    public int DropWatches(KindInfo kind)
    {
        lock (_gate)
        {
            var matching = _watchers.Where(w => w.Kind.Key == kind.Key).ToList();
            foreach (var watcher in matching)
            {
                watcher.Close();
                _watchers.Remove(watcher);
            }
            return matching.Count;
        }
    }

    /// <summary>
    /// Compacts the history to a new revision, so every resourceVersion a client holds is now too old:
    /// its next watch gets an ERROR 410 event and its next list-at-version an HTTP 410.
    /// </summary>
    public long ExpireHistory()
    {
        lock (_gate)
        {
            _resourceVersion++;
            _history.CompactTo(_resourceVersion);
            _log.LogInformation("History compacted at resourceVersion {ResourceVersion}", _resourceVersion);
            return _resourceVersion;
        }
    }

    private long _compactionMark;

    /// <summary>
    /// One tick of kube-apiserver's etcd compactor: forgets every revision before the one the previous tick saw, so a
    /// resourceVersion stays usable for at least one interval. Older ones give watches an ERROR 410 and lists 410.
    /// </summary>
    public void CompactOnSchedule()
    {
        lock (_gate)
        {
            if (_compactionMark > _history.OldestResumable)
            {
                _history.CompactTo(_compactionMark);
                _log.LogDebug("History compacted to resourceVersion {ResourceVersion}", _compactionMark);
            }
            _compactionMark = _resourceVersion;
        }
    }

    // ---- internals ----

    private enum WriteScope { Everything, AllButStatus, StatusOnly }

    private static WriteScope ScopeFor(KindInfo kind, bool statusSubresource) =>
        statusSubresource ? WriteScope.StatusOnly
        : ServedKinds.HasStatusSubresource(kind) ? WriteScope.AllButStatus
        : WriteScope.Everything;

    private JsonObject Write(KindInfo kind, ObjectKey key, JsonObject current, JsonObject incoming, WriteScope scope)
    {
        JsonObject next;
        if (scope == WriteScope.StatusOnly)
        {
            next = (JsonObject)current.DeepClone();
            SetOrRemove(next, "status", incoming["status"]);
        }
        else
        {
            next = (JsonObject)incoming.DeepClone();
            if (scope == WriteScope.AllButStatus) SetOrRemove(next, "status", current["status"]);
        }

        next["apiVersion"] = kind.ApiVersion;
        next["kind"] = kind.Kind;
        var meta = next.Metadata();
        var currentMeta = current.Metadata();
        foreach (var immutable in new[] { "name", "namespace", "uid", "creationTimestamp", "resourceVersion" })
        {
            SetOrRemove(meta, immutable, currentMeta[immutable]);
        }
        if (ServedKinds.TracksGeneration(kind))
        {
            var generation = current.Generation() ?? 1;
            if (SpecChanged(kind, current, next)) generation++;
            meta["generation"] = generation;
        }

        // A write that changes nothing keeps the resourceVersion and emits no event (kubectl: "patched (no change)").
        if (JsonNode.DeepEquals(current, next)) return (JsonObject)current.DeepClone();
        return Commit(kind, key, next, WatchEventType.Modified, current);
    }

    /// <summary>Custom resources bump generation on any change outside metadata (and status, when it is a subresource).</summary>
    private static bool SpecChanged(KindInfo kind, JsonObject before, JsonObject after)
    {
        var withStatus = !ServedKinds.HasStatusSubresource(kind);
        var names = before.Select(p => p.Key).Union(after.Select(p => p.Key))
            .Where(n => n != "metadata" && (withStatus || n != "status"));
        return names.Any(n => !JsonNode.DeepEquals(before[n], after[n]));
    }

    /// <param name="previous">The stored object this change replaces (null on create); kept by the history, never mutated.</param>
    private JsonObject Commit(KindInfo kind, ObjectKey key, JsonObject stored, string type, JsonObject? previous)
    {
        _resourceVersion++;
        stored.Metadata()["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture);
        if (type == WatchEventType.Deleted) Bucket(kind).Remove(key);
        else Bucket(kind)[key] = stored;

        var stored_event = ToEvent(kind, key, stored, type, type == WatchEventType.Modified ? previous?.Labels() : null) with { Previous = previous };
        _history.Append(stored_event);
        for (var i = _watchers.Count - 1; i >= 0; i--)
        {
            if (_watchers[i].Offer(stored_event)) continue;
            _log.LogWarning("Closing a {Kind} watch that fell too far behind", kind.Kind);
            _watchers[i].Close();
            _watchers.RemoveAt(i);
        }
        return (JsonObject)stored.DeepClone();
    }

    private static StoredEvent ToEvent(KindInfo kind, ObjectKey key, JsonObject obj, string type,
        IReadOnlyDictionary<string, string>? previousLabels)
    {
        var version = long.TryParse(obj["metadata"].String("resourceVersion"), out var rv) ? rv : 0;
        return new StoredEvent(version, kind.Key, type, key.Namespace, key.Name, obj.Labels(), obj.ToJsonString(), previousLabels);
    }

    private void Unsubscribe(WatchSubscription subscription)
    {
        lock (_gate) _watchers.Remove(subscription);
    }

    /// <summary>Normalizes an incoming object: served apiVersion/kind, namespace rules, a name.</summary>
    private static JsonObject Prepare(KindInfo kind, JsonObject obj, string? namespaceFromPath)
    {
        var incoming = (JsonObject)obj.DeepClone();
        incoming["apiVersion"] = kind.ApiVersion;
        incoming["kind"] = kind.Kind;
        var meta = incoming.Metadata();
        if (kind.Namespaced)
        {
            var bodyNamespace = meta.String("namespace");
            if (namespaceFromPath is not null && bodyNamespace is not null && bodyNamespace.Length > 0 && bodyNamespace != namespaceFromPath)
            {
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            meta["namespace"] = namespaceFromPath ?? (string.IsNullOrEmpty(bodyNamespace) ? "default" : bodyNamespace);
        }
        else
        {
            meta.Remove("namespace");
        }
        if (string.IsNullOrEmpty(meta.String("name")))
        {
            var prefix = meta.String("generateName");
            if (string.IsNullOrEmpty(prefix)) throw ApiException.Invalid($"{kind.Kind}.{kind.Group} \"\" is invalid: metadata.name: Required value: name or generateName is required");
            meta["name"] = prefix + Guid.NewGuid().ToString("N")[..5];
        }
        meta.Remove("resourceVersion");
        return incoming;
    }

    /// <summary>Fields the API server sets on create; values an imported dump already carries are kept.</summary>
    private JsonObject Initialize(KindInfo kind, JsonObject obj)
    {
        var meta = obj.Metadata();
        if (string.IsNullOrEmpty(meta.String("uid"))) meta["uid"] = Guid.NewGuid().ToString();
        if (string.IsNullOrEmpty(meta.String("creationTimestamp"))) meta["creationTimestamp"] = ObjectJson.Timestamp(_time.GetUtcNow());
        if (ServedKinds.TracksGeneration(kind) && obj.Generation() is null) meta["generation"] = 1L;
        return obj;
    }

    private void CheckResourceVersion(KindInfo kind, ObjectKey key, JsonObject current, JsonObject incoming)
    {
        var wanted = incoming["metadata"].String("resourceVersion");
        if (!string.IsNullOrEmpty(wanted) && wanted != current["metadata"].String("resourceVersion"))
        {
            throw ApiException.Conflict(kind.Plural, kind.Group, key.Name);
        }
    }

    private JsonObject Current(KindInfo kind, ObjectKey key) =>
        Bucket(kind).TryGetValue(key, out var current) ? current : throw ApiException.NotFound(kind.Plural, kind.Group, key.Name);

    private SortedDictionary<ObjectKey, JsonObject> Bucket(KindInfo kind) => _objects[kind.Key];

    private static bool Selects(KindInfo kind, ObjectKey key, JsonObject obj, string? @namespace, LabelSelector labels, FieldSelector fields) =>
        (@namespace is null || !kind.Namespaced || key.Namespace == @namespace)
        && fields.Matches(key.Namespace, key.Name)
        && labels.Matches(obj.Labels());

    private static ObjectKey KeyOf(JsonObject obj) => new(obj.Namespace(), obj.Name());

    private static ObjectKey KeyFor(KindInfo kind, string? @namespace, string name) =>
        new(kind.Namespaced ? @namespace ?? "default" : "", name);

    private KindInfo Served(KindInfo kind) =>
        _kinds.FirstOrDefault(k => k.Key == kind.Key)
        ?? throw new ApiException(HttpStatusCode.NotFound, "NotFound", $"the server could not find the requested resource ({kind})");

    /// <summary>
    /// The stored kind of an incoming object. Any version of a held kind is accepted and stored at the served version,
    /// as the API server converts between the versions of a CRD (seeds are written at v2alpha1; Cilium ≥ 1.18 serves v2).
    /// </summary>
    private KindInfo KindOf(JsonObject obj)
    {
        var apiVersion = obj.String("apiVersion");
        var kind = obj.String("kind");
        var known = HomeOps.Cluster.Model.Kinds.Find(apiVersion, kind);
        return (known is null ? null : _kinds.FirstOrDefault(k => k.Key == known.Key))
            ?? throw ApiException.BadRequest($"no kind \"{kind}\" is registered for version \"{apiVersion}\"");
    }

    private static long? ParseVersion(string? resourceVersion)
    {
        if (string.IsNullOrEmpty(resourceVersion)) return null;
        return long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw ApiException.BadRequest($"invalid resource version \"{resourceVersion}\"");
    }

    private static void SetOrRemove(JsonObject target, string property, JsonNode? value)
    {
        if (value is null) target.Remove(property);
        else target[property] = value.DeepClone();
    }
}

/// <summary>A list result: the items and the resourceVersion the list is consistent with.</summary>
/// <param name="Continue">The token for the next page, when a <c>limit</c> left objects out.</param>
/// <param name="RemainingItemCount">How many objects the next pages hold (unfiltered lists only).</param>
public sealed record ObjectList(long ResourceVersion, IReadOnlyList<JsonObject> Items, string? Continue = null, long? RemainingItemCount = null);
