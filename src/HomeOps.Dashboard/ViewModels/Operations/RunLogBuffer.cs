using HomeOps.Operations.Runners;

namespace HomeOps.Dashboard.ViewModels.Operations;

/// <summary>One line of a step's log, as the page shows it.</summary>
public sealed record LogLine(long Number, OutputStream Stream, string Text);

/// <summary>
/// A step's log on the page: the stored output merged with live lines by line number, bounded (oldest lines drop), so
/// a noisy step cannot grow a circuit's memory without limit. Live lines carry numbers; the stored output covers
/// lines up to its count. A page that subscribed between two flushes of the stored output misses a few lines live —
/// <see cref="HasGap"/> says so, and the next merge with the stored output fills them in.
/// </summary>
public sealed class RunLogBuffer(int capacity = 1000)
{
    private const string SystemMark = "▸ ";

    private readonly Lock _gate = new();
    private List<LogLine> _lines = [];
    private long _lastNumber;

    public int Capacity { get; } = capacity;

    /// <summary>How many lines were dropped from the top to stay within <see cref="Capacity"/>.</summary>
    public long Dropped { get; private set; }

    /// <summary>Live lines arrived with numbers missing before them (fetch the stored output again).</summary>
    public bool HasGap { get; private set; }

    /// <summary>A snapshot (lines arrive on other threads while the page renders).</summary>
    public IReadOnlyList<LogLine> Lines
    {
        get { lock (_gate) return [.. _lines]; }
    }

    /// <summary>Merges the stored output (its last <paramref name="storedLineCount"/> numbers the lines) with the live lines after it.</summary>
    public void Merge(string storedOutput, long storedLineCount)
    {
        lock (_gate) MergeCore(storedOutput, storedLineCount);
    }

    private void MergeCore(string storedOutput, long storedLineCount)
    {
        var texts = storedOutput.Length == 0 ? [] : storedOutput.TrimEnd('\n').Split('\n');
        var first = storedLineCount - texts.Length + 1;
        var merged = new List<LogLine>(texts.Length + _lines.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            // The engine stores its own lines (gates, exit codes) with a "▸ " mark.
            var text = texts[i].TrimEnd('\r');
            var system = text.StartsWith(SystemMark, StringComparison.Ordinal);
            merged.Add(new LogLine(first + i, system ? OutputStream.System : OutputStream.Stdout, system ? text[SystemMark.Length..] : text));
        }
        var live = _lines.Where(l => l.Number > storedLineCount).ToList();
        merged.AddRange(live);
        HasGap = live.Count > 0 && live[0].Number > storedLineCount + 1;
        _lastNumber = Math.Max(_lastNumber, storedLineCount);
        Dropped = Math.Max(0, merged.Count - Capacity) + Math.Max(0, first - 1);
        _lines = merged.Count > Capacity ? merged[^Capacity..] : merged;
    }

    /// <summary>Adds a live line unless it is already there; returns false for a duplicate.</summary>
    public bool Add(long number, OutputStream stream, string text)
    {
        lock (_gate) return AddCore(number, stream, text);
    }

    private bool AddCore(long number, OutputStream stream, string text)
    {
        if (number <= _lastNumber) return false;
        if (number > _lastNumber + 1) HasGap = true;
        _lastNumber = number;
        _lines.Add(new LogLine(number, stream, text));
        if (_lines.Count > Capacity)
        {
            _lines.RemoveRange(0, _lines.Count - Capacity);
            Dropped++;
        }
        return true;
    }
}
