using System.Buffers;

namespace HomeOps.Cluster.Sources;

/// <summary>
/// Splits a stream of UTF-8 text into lines, as the bytes arrive: a watch response body is one JSON event per line,
/// sent in chunks that may end anywhere — mid-line, even mid-character. Lines are cut at the byte <c>\n</c> (it never
/// occurs inside a multi-byte UTF-8 sequence, so a character split across two reads is simply reassembled), a
/// trailing <c>\r</c> is dropped, and a last line without a newline is still a line. Nothing is decoded to UTF-16: the
/// bytes go straight to the JSON parser. The buffer (pooled) grows for long lines up to <see cref="MaxLineBytes"/>.
/// </summary>
public sealed class Utf8LineSplitter : IDisposable
{
    /// <summary>Far above etcd's 1.5 MiB object limit: a longer line is not a Kubernetes watch event.</summary>
    public const int DefaultMaxLineBytes = 64 * 1024 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;   // first byte of the line being assembled
    private int _scanned; // bytes from _start already searched for '\n'
    private int _end;     // end of the data read so far
    private bool _endOfStream;

    public Utf8LineSplitter(Stream stream, int initialBufferBytes = 16 * 1024, int maxLineBytes = DefaultMaxLineBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(initialBufferBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        _stream = stream;
        MaxLineBytes = maxLineBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(initialBufferBytes);
    }

    public int MaxLineBytes { get; }

    /// <summary>
    /// The next line, without its line ending, or null when the stream has ended. The memory is valid only until the
    /// next call (the buffer is reused). Throws <see cref="InvalidDataException"/> for a line longer than <see cref="MaxLineBytes"/>.
    /// </summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadLineAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start + _scanned, _end - _start - _scanned);
            if (newline >= 0)
            {
                var line = Line(_start, newline);
                _start = newline + 1;
                _scanned = 0;
                return line;
            }
            _scanned = _end - _start;
            if (_endOfStream)
            {
                if (_end == _start) return null;
                var last = Line(_start, _end);
                _start = _end;
                _scanned = 0;
                return last;
            }
            if (_scanned > MaxLineBytes) throw new InvalidDataException($"a line longer than {MaxLineBytes} bytes");
            MakeRoom();
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0) _endOfStream = true;
            else _end += read;
        }
    }

    private ReadOnlyMemory<byte> Line(int from, int to)
    {
        if (to > from && _buffer[to - 1] == (byte)'\r') to--;
        return _buffer.AsMemory(from, to - from);
    }

    /// <summary>Moves the partial line to the front of the buffer, or doubles the buffer when the line fills it.</summary>
    private void MakeRoom()
    {
        if (_end < _buffer.Length) return;
        var pending = _end - _start;
        if (_start > 0 && pending < _buffer.Length / 2)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
        }
        else
        {
            var larger = ArrayPool<byte>.Shared.Rent(checked(_buffer.Length * 2));
            Buffer.BlockCopy(_buffer, _start, larger, 0, pending);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        _start = 0;
        _end = pending;
    }

    public void Dispose()
    {
        if (_buffer.Length == 0) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
