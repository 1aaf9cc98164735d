using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Store;
using Microsoft.Extensions.Logging;

namespace HomeOps.Simulator.Network;

/// <summary>
/// Real loopback listeners standing in for the LB-IPAM VIPs of the simulated LoadBalancer Services, so that the
/// dashboard's black-box probe (DNS, TCP, TLS, HTTP) runs every step for real: port 443 answers a TLS handshake with the
/// simulator's certificate and <c>HTTP/1.1 200</c>, any other port plain HTTP. <see cref="Silence"/> closes a VIP's listener
/// (connections are refused) — the VIP stops answering while nothing in the Kubernetes API changes, which is what the
/// <c>vip-stops-answering</c> scenario does. The dashboard dials them through <see cref="Redirects"/>
/// (<c>Cluster:Probes:Network:Redirects</c>).
/// </summary>
public sealed class LoopbackProbeTargets : IAsyncDisposable
{
    private readonly X509Certificate2 _certificate;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<string, Listener> _listeners = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();

    private LoopbackProbeTargets(X509Certificate2 certificate, ILogger log)
    {
        _certificate = certificate;
        _log = log;
    }

    /// <summary>Starts one listener per VIP address of the LoadBalancer Services in <paramref name="cluster"/>, on the port the dashboard probes.</summary>
    internal static LoopbackProbeTargets Start(ClusterObjectStore cluster, X509Certificate2 certificate, ILogger log)
    {
        var targets = new LoopbackProbeTargets(certificate, log);
        foreach (var svc in cluster.List(Kinds.Service).Items)
        {
            if (svc["spec"]?["type"]?.GetValue<string>() != "LoadBalancer") continue;
            var ports = (svc["spec"]?["ports"]?.AsArray() ?? []).Select(p => p?["port"]?.GetValue<int>() ?? 0).ToList();
            // The port the dashboard probes (NetworkProbe.Targets): 443, else 80, else the first.
            var port = ports.Contains(443) ? 443 : ports.Contains(80) ? 80 : ports.FirstOrDefault();
            if (port <= 0) continue;
            foreach (var ingress in svc["status"]?["loadBalancer"]?["ingress"]?.AsArray() ?? [])
                if (ingress?["ip"]?.GetValue<string>() is { Length: > 0 } ip)
                    targets.Add(ip, port);
        }
        return targets;
    }

    /// <summary>"address:port=127.0.0.1:loopbackPort" per VIP, for <c>Cluster:Probes:Network:Redirects</c>.</summary>
    public IReadOnlyList<string> Redirects => [.. _listeners.Values.OrderBy(l => l.Target, StringComparer.Ordinal).Select(l => $"{l.Target}={l.Endpoint}")];

    /// <summary>The VIP addresses served ("172.29.52.200").</summary>
    public IReadOnlyList<string> Addresses => [.. _listeners.Values.Select(l => l.Address).Distinct().Order(StringComparer.Ordinal)];

    public bool IsAnswering(string address) => _listeners.Values.Any(l => l.Address == address && l.Answering);

    /// <summary>The VIP stops answering: its listener closes, connections to it are refused.</summary>
    public void Silence(string address)
    {
        foreach (var l in _listeners.Values.Where(l => l.Address == address)) l.Close();
        _log.LogInformation("Probe target {Address} silenced", address);
    }

    /// <summary>The VIP answers again, on the same loopback port.</summary>
    public void Restore(string address)
    {
        foreach (var l in _listeners.Values.Where(l => l.Address == address)) l.Open(this);
        _log.LogInformation("Probe target {Address} answering again", address);
    }

    private void Add(string address, int port)
    {
        var listener = new Listener(address, port);
        if (_listeners.TryAdd(listener.Target, listener)) listener.Open(this);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var l in _listeners.Values) l.Close();
        _stop.Dispose();
    }

    private async Task ServeAsync(Listener owner, TcpClient client)
    {
        using var _ = client;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            Stream stream = client.GetStream();
            if (owner.Port == 443)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, timeout.Token);
            }
            await using (stream)
            {
                var buffer = new byte[4096];
                var read = 0;
                while (read < buffer.Length)
                {
                    var n = await stream.ReadAsync(buffer.AsMemory(read), timeout.Token);
                    if (n == 0) return;
                    read += n;
                    if (Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal)) break;
                }
                const string body = "ingress-nginx (simulated)\n";
                var response = $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(response), timeout.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or System.Security.Authentication.AuthenticationException)
        {
            _log.LogDebug("Probe target {Target}: connection ended ({Error})", owner.Target, e.GetType().Name);
        }
    }

    private sealed class Listener(string address, int port)
    {
        private readonly Lock _gate = new();
        private TcpListener? _tcp;
        private int _loopbackPort;

        public string Address => address;
        public int Port => port;
        public string Target => address.Contains(':') ? $"[{address}]:{port}" : $"{address}:{port}";
        public IPEndPoint Endpoint => new(IPAddress.Loopback, _loopbackPort);
        public bool Answering { get { lock (_gate) return _tcp is not null; } }

        public void Open(LoopbackProbeTargets owner)
        {
            TcpListener tcp;
            lock (_gate)
            {
                if (_tcp is not null) return;
                tcp = new TcpListener(IPAddress.Loopback, _loopbackPort);
                // Restore reopens the same port, which closed connections may still hold in TIME_WAIT.
                tcp.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                tcp.Start();
                _loopbackPort = ((IPEndPoint)tcp.LocalEndpoint).Port;
                _tcp = tcp;
            }
            _ = Task.Run(async () =>
            {
                while (true)
                {
                    TcpClient client;
                    try { client = await tcp.AcceptTcpClientAsync(owner._stop.Token); }
                    catch (Exception e) when (e is ObjectDisposedException or SocketException or OperationCanceledException) { return; }
                    _ = owner.ServeAsync(this, client);
                }
            });
        }

        public void Close()
        {
            lock (_gate)
            {
                _tcp?.Stop();
                _tcp = null;
            }
        }
    }
}
