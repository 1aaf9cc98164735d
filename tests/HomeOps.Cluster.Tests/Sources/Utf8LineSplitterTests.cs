using System.Text;
using HomeOps.Cluster.Sources;

namespace HomeOps.Cluster.Tests.Sources;

/// <summary>
/// The informer's own line splitter over a watch body that arrives in arbitrary chunks, as HTTP chunked transfer and
/// TCP deliver it: lines cut across reads, characters cut across reads, lines far longer than the buffer, a last line
/// without a newline.
/// </summary>
public sealed class Utf8LineSplitterTests
{
    /// <summary>A stream that hands out exactly the given chunks, one per read (a read never spans two chunks).</summary>
    private sealed class ChunkedStream(IEnumerable<byte[]> chunks) : Stream
    {
        private readonly Queue<byte[]> _chunks = new(chunks);
        private byte[] _current = [];
        private int _offset;

        public int Reads { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            Reads++;
            while (_offset == _current.Length)
            {
                if (!_chunks.TryDequeue(out var next)) return 0;
                (_current, _offset) = (next, 0);
            }
            var n = Math.Min(buffer.Length, _current.Length - _offset);
            _current.AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static async Task<List<string>> LinesOf(Stream stream, int initialBuffer = 16)
    {
        using var splitter = new Utf8LineSplitter(stream, initialBuffer);
        var lines = new List<string>();
        while (await splitter.ReadLineAsync(TestContext.Current.CancellationToken) is { } line) lines.Add(Encoding.UTF8.GetString(line.Span));
        return lines;
    }

    /// <summary>The bytes cut into pieces of <paramref name="size"/>.</summary>
    private static IEnumerable<byte[]> Cut(byte[] bytes, int size) => bytes.Chunk(size);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(100_000)]
    public async Task Every_chunk_size_gives_the_same_lines(int chunk)
    {
        var text = "{\"type\":\"ADDED\"}\n{\"type\":\"MODIFIED\",\"x\":\"ab\"}\n{\"type\":\"DELETED\"}\n";

        var lines = await LinesOf(new ChunkedStream(Cut(Encoding.UTF8.GetBytes(text), chunk)));

        Assert.Equal(["{\"type\":\"ADDED\"}", "{\"type\":\"MODIFIED\",\"x\":\"ab\"}", "{\"type\":\"DELETED\"}"], lines);
    }

    [Fact]
    public async Task A_multibyte_character_split_across_two_reads_is_put_back_together()
    {
        // ü (2 bytes), 名 (3 bytes), 🚀 (4 bytes): cut inside each of them, one byte per read.
        const string line = "{\"name\":\"hostile-ünïcødé-名前-🚀\"}";
        var bytes = Encoding.UTF8.GetBytes(line + "\n" + line + "\n");

        var oneByteAtATime = await LinesOf(new ChunkedStream(Cut(bytes, 1)));
        var cutInsideTheRocket = bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("🚀")) + 2;
        var twoPieces = await LinesOf(new ChunkedStream([bytes[..cutInsideTheRocket], bytes[cutInsideTheRocket..]]));

        Assert.Equal([line, line], oneByteAtATime);
        Assert.Equal([line, line], twoPieces);
    }

    [Fact]
    public async Task A_line_much_longer_than_the_buffer_arrives_whole()
    {
        var huge = "{\"message\":\"" + new string('x', 3 * 1024 * 1024) + "\"}";
        var bytes = Encoding.UTF8.GetBytes("{\"a\":1}\n" + huge + "\n{\"b\":2}\n");

        var lines = await LinesOf(new ChunkedStream(Cut(bytes, 8 * 1024)), initialBuffer: 1024);

        Assert.Equal(3, lines.Count);
        Assert.Equal(huge, lines[1]);
        Assert.Equal("{\"b\":2}", lines[2]);
    }

    [Fact]
    public async Task A_line_over_the_limit_is_refused_instead_of_growing_without_bound()
    {
        var bytes = Encoding.UTF8.GetBytes(new string('x', 10_000) + "\n");
        using var splitter = new Utf8LineSplitter(new ChunkedStream(Cut(bytes, 512)), initialBufferBytes: 256, maxLineBytes: 4_096);

        await Assert.ThrowsAsync<InvalidDataException>(async () => await splitter.ReadLineAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_last_line_without_a_newline_is_still_a_line_and_CRLF_endings_are_dropped()
    {
        var lines = await LinesOf(new ChunkedStream(Cut(Encoding.UTF8.GetBytes("{\"a\":1}\r\n{\"b\":2}\n{\"c\":3}"), 5)));

        Assert.Equal(["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"], lines);
    }

    [Fact]
    public async Task An_empty_stream_has_no_lines_and_a_blank_line_is_kept_for_the_reader_to_reject()
    {
        Assert.Empty(await LinesOf(new ChunkedStream([])));
        Assert.Equal(["{}", "", "{}"], await LinesOf(new ChunkedStream([Encoding.UTF8.GetBytes("{}\n\n{}\n")])));
    }

    [Fact]
    public async Task Each_line_is_returned_as_soon_as_its_newline_arrives_without_reading_ahead()
    {
        // A watch event must be handed on when it arrives, not when the next one does.
        var stream = new ChunkedStream([Encoding.UTF8.GetBytes("{\"a\":1}\n"), Encoding.UTF8.GetBytes("{\"b\":2}\n")]);
        using var splitter = new Utf8LineSplitter(stream);

        var first = await splitter.ReadLineAsync(TestContext.Current.CancellationToken);

        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(first!.Value.Span));
        Assert.Equal(1, stream.Reads);
    }
}
