using System.Net;
using System.Net.Sockets;

namespace HomeOps.EndToEnd;

/// <summary>
/// A loopback TCP relay that can stop moving bytes without closing anything: a hung upstream (a stalled proxy, a
/// half-dead load balancer), the fault a timeout or a freshness threshold has to catch. The upstream is set after
/// start, so the relay's address can go into configuration before the upstream exists; until then connections are
/// refused by closing them.
/// </summary>
public sealed class FreezableTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly Lock _gate = new();
    private volatile TaskCompletionSource _thawed = Thawed();
    private volatile IPEndPoint? _upstream;
    private readonly Task _accepting;

    public FreezableTcpProxy()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Uri Uri => new($"http://127.0.0.1:{Port}/");

    public bool Frozen => !_thawed.Task.IsCompleted;

    public void ForwardTo(Uri upstream) => _upstream = new IPEndPoint(IPAddress.Parse(upstream.Host), upstream.Port);

    /// <summary>From now on no byte moves in either direction; connections stay open.</summary>
    public void Freeze()
    {
        if (!Frozen) _thawed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Thaw() => _thawed.TrySetResult();

    /// <summary>
    /// The upstream stops: every open connection is closed and new ones are refused (closed at once) until
    /// <see cref="ForwardTo"/> names an upstream again. A stopped server, as opposed to <see cref="Freeze"/>'s hung one.
    /// </summary>
    public void Disconnect()
    {
        _upstream = null;
        lock (_gate)
        {
            foreach (var c in _open) c.Dispose();
            _open.Clear();
        }
    }

    private static TaskCompletionSource Thawed()
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tcs.SetResult();
        return tcs;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (SocketException) { return; }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        {
            if (_upstream is not { } upstream) return;
            using var server = new TcpClient();
            lock (_gate) { _open.Add(client); _open.Add(server); }
            try
            {
                await server.ConnectAsync(upstream, _stop.Token);
                using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var up = PumpAsync(client.GetStream(), server.GetStream(), done.Token);
                var down = PumpAsync(server.GetStream(), client.GetStream(), done.Token);
                await Task.WhenAny(up, down);
                await done.CancelAsync();
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
            }
            finally
            {
                lock (_gate) { _open.Remove(client); _open.Remove(server); }
            }
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                await _thawed.Task.WaitAsync(ct);
                var read = await from.ReadAsync(buffer, ct);
                if (read == 0) return;
                // Bytes read just before a freeze are held back too: frozen means nothing arrives.
                await _thawed.Task.WaitAsync(ct);
                await to.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        Thaw();
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_gate)
            foreach (var c in _open) c.Dispose();
        try { await _accepting; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
