using System.Net;
using System.Net.Sockets;

namespace HomeOps.Cluster.Sources.Probes;

/// <summary>The real probe: a TCP connect from the dashboard's own network position, cut off at the timeout.</summary>
public sealed class TcpReachabilityProber : IReachabilityProber
{
    public async Task<ReachabilityAnswer> ProbeAsync(string address, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!IPAddress.TryParse(address, out var ip)) return new(false, $"'{address}' is not an IP address");
        using var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(ip, port), cts.Token).ConfigureAwait(false);
            return new(true, $"TCP connect to {address}:{port} succeeded");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(false, $"TCP connect to {address}:{port} timed out after {timeout.TotalSeconds:0.#} s (no route, or not announced)");
        }
        catch (SocketException e)
        {
            return new(false, $"TCP connect to {address}:{port} failed: {e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused (the address answers, nothing listens on the port)",
                SocketError.NetworkUnreachable or SocketError.HostUnreachable => "no route to the address",
                SocketError.TimedOut => "timed out",
                var other => other.ToString(),
            }}");
        }
    }
}
