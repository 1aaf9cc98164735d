using System.Text;

namespace HomeOps.Operations.Engine;

/// <summary>
/// The stored tail of a step's output: whole lines, at most <c>limitBytes</c> of UTF-8 in total, oldest dropped first.
/// Thread-safe (stdout and stderr arrive on different threads).
/// </summary>
internal sealed class OutputBuffer
{
    private readonly int _limitBytes;
    private readonly Queue<(string Line, int Bytes)> _lines = new();
    private readonly Lock _gate = new();
    private long _bytes;

    public OutputBuffer(int limitBytes, string existing, bool truncated, long lineCount)
    {
        _limitBytes = Math.Max(1024, limitBytes);
        Truncated = truncated;
        LineCount = lineCount;
        if (existing.Length > 0)
            foreach (var line in existing.Split('\n')) Enqueue(line);
    }

    public bool Truncated { get; private set; }

    /// <summary>Lines ever written to this step (not only the retained ones).</summary>
    public long LineCount { get; private set; }

    public bool Dirty { get; private set; }

    /// <summary>Adds a line and returns its line number.</summary>
    public long Add(string line)
    {
        lock (_gate)
        {
            Enqueue(line);
            Dirty = true;
            return ++LineCount;
        }
    }

    public (string Text, bool Truncated, long LineCount) Snapshot()
    {
        lock (_gate)
        {
            Dirty = false;
            return (string.Join('\n', _lines.Select(l => l.Line)), Truncated, LineCount);
        }
    }

    private void Enqueue(string line)
    {
        var bytes = Encoding.UTF8.GetByteCount(line) + 1;
        _lines.Enqueue((line, bytes));
        _bytes += bytes;
        while (_bytes > _limitBytes && _lines.Count > 0)
        {
            _bytes -= _lines.Dequeue().Bytes;
            Truncated = true;
        }
    }
}
