using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Auth;

/// <summary>
/// Locks break-glass sign-in for a user name after <see cref="BreakGlassOptions.MaxFailures"/> failures within
/// <see cref="BreakGlassOptions.LockoutWindow"/>; the lock lasts that window after the last failure. While locked, not
/// even the right password is checked. Time comes from <see cref="TimeProvider"/>. Names other than the account's share
/// one bucket, so guessing names neither grows memory nor locks the real account.
/// </summary>
public sealed class BreakGlassLockout(IOptions<BreakGlassOptions> options, TimeProvider time)
{
    public const string OtherNames = "(another user name)";

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed class Entry
    {
        public readonly Queue<DateTimeOffset> Failures = new();
        public DateTimeOffset? LockedUntil;
    }

    /// <summary>When the key is locked, until when; null when it may try.</summary>
    public DateTimeOffset? LockedUntil(string key)
    {
        if (!_entries.TryGetValue(key, out var entry)) return null;
        var now = time.GetUtcNow();
        lock (entry)
        {
            if (entry.LockedUntil is { } until && until > now) return until;
            return null;
        }
    }

    /// <summary>Records a failure; returns the lock's end when this failure locked the key, null otherwise.</summary>
    public DateTimeOffset? RecordFailure(string key)
    {
        var now = time.GetUtcNow();
        var window = options.Value.LockoutWindow;
        var entry = _entries.GetOrAdd(key, _ => new Entry());
        lock (entry)
        {
            while (entry.Failures.Count > 0 && now - entry.Failures.Peek() >= window) entry.Failures.Dequeue();
            entry.Failures.Enqueue(now);
            if (entry.Failures.Count < options.Value.MaxFailures) return null;
            entry.Failures.Clear();
            entry.LockedUntil = now + window;
            return entry.LockedUntil;
        }
    }

    /// <summary>Failures within the window so far (for the audit message).</summary>
    public int FailuresOf(string key)
    {
        if (!_entries.TryGetValue(key, out var entry)) return 0;
        var now = time.GetUtcNow();
        lock (entry) return entry.Failures.Count(f => now - f < options.Value.LockoutWindow);
    }

    /// <summary>A successful sign-in clears the failures.</summary>
    public void RecordSuccess(string key) => _entries.TryRemove(key, out _);
}
