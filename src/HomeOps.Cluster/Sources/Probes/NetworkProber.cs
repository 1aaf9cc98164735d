using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HomeOps.Cluster.Health;

namespace HomeOps.Cluster.Sources.Probes;

/// <summary>
/// One target to probe. <see cref="Host"/> is resolved (DNS) and used for SNI, the HTTP Host header and the certificate
/// name check; a VIP has no host, only <see cref="Address"/>. <see cref="Dial"/>, when set, is where the connection is
/// actually opened (a configured redirect: the simulator's loopback listeners, a port-forward); every step is still real.
/// </summary>
public sealed record ProbeRequest(string Target, string Source, string Owner, string? Host, string? Address, int Port, string Scheme,
    IPEndPoint? Dial = null);

/// <summary>Runs one black-box probe: DNS → TCP → TLS → HTTP, as far as the scheme goes. Never throws but for cancellation.</summary>
public interface INetworkProber
{
    Task<ProbeDetails> ProbeAsync(ProbeRequest request, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>
/// The real probe, from the dashboard's own network position: resolves the host, opens a TCP connection, completes a
/// TLS handshake (for a host: the certificate must be valid for it and chain to a trusted root; for a bare VIP only the
/// handshake counts), sends <c>GET /</c> and reads the status line. The whole probe is cut off at the timeout; the
/// result names the step that failed and why, with the latency to that point.
/// </summary>
public sealed class NetworkProber(TimeProvider time) : INetworkProber
{
    public async Task<ProbeDetails> ProbeAsync(ProbeRequest r, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var step = ProbeSteps.Dns;
        var address = r.Address ?? "";
        bool? tlsValid = null;
        DateTimeOffset? notAfter = null;
        ProbeDetails Result(string? failed, string detail, int? status = null) =>
            new(r.Target, r.Source, r.Owner, address, r.Port, r.Scheme, failed, detail, tlsValid, status,
                Math.Round(time.GetElapsedTime(started).TotalMilliseconds, 1), notAfter, time.GetUtcNow());
        try
        {
            IPAddress ip;
            if (r.Host is { Length: > 0 } host)
            {
                var found = await Dns.GetHostAddressesAsync(host, cts.Token).ConfigureAwait(false);
                var first = found.OrderBy(a => a.AddressFamily == AddressFamily.InterNetworkV6 ? 1 : 0).FirstOrDefault();
                if (first is null) return Result(ProbeSteps.Dns, $"{host} resolves to no address");
                ip = first;
                address = ip.ToString();
            }
            else if (!IPAddress.TryParse(r.Address, out ip!))
            {
                return Result(ProbeSteps.Dns, $"'{r.Address}' is not an IP address");
            }

            step = ProbeSteps.Tcp;
            var endpoint = r.Dial ?? new IPEndPoint(ip, r.Port);
            using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(endpoint, cts.Token).ConfigureAwait(false);
            if (r.Scheme == "tcp") return Result(null, $"TCP connect to {address}:{r.Port} succeeded");

            Stream stream = new NetworkStream(socket, ownsSocket: false);
            await using var _ = stream.ConfigureAwait(false);
            if (r.Scheme == "https")
            {
                step = ProbeSteps.Tls;
                var errors = SslPolicyErrors.None;
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = r.Host ?? r.Address ?? "",
                    // Judged below, after the handshake: the result says what is wrong instead of an opaque exception.
                    RemoteCertificateValidationCallback = (_, certificate, _, policyErrors) =>
                    {
                        errors = policyErrors;
                        if (certificate is X509Certificate2 c2) notAfter = new DateTimeOffset(c2.NotAfter.ToUniversalTime(), TimeSpan.Zero);
                        return true;
                    },
                }, cts.Token).ConfigureAwait(false);
                if (r.Host is not null)
                {
                    tlsValid = errors == SslPolicyErrors.None;
                    if (tlsValid == false) return Result(ProbeSteps.Tls, $"TLS certificate not valid for {r.Host}: {Describe(errors)}");
                    if (notAfter is { } end && end <= time.GetUtcNow()) { tlsValid = false; return Result(ProbeSteps.Tls, $"TLS certificate expired {end:yyyy-MM-dd}"); }
                }
            }

            step = ProbeSteps.Http;
            var hostHeader = r.Host ?? r.Address ?? "";
            var request = Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {hostHeader}\r\nUser-Agent: homeops-dashboard-probe\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(request, cts.Token).ConfigureAwait(false);
            await stream.FlushAsync(cts.Token).ConfigureAwait(false);
            var line = await ReadStatusLineAsync(stream, cts.Token).ConfigureAwait(false);
            var parts = line.Split(' ', 3);
            if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(parts[1], out var status))
                return Result(ProbeSteps.Http, line.Length == 0 ? "connection closed before an HTTP response" : "not an HTTP response");
            return Result(null, $"HTTP {status}", status);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Result(step, $"{StepName(step)} timed out after {timeout.TotalSeconds:0.#} s{(step == ProbeSteps.Tcp ? " (no route, or not announced)" : "")}");
        }
        catch (SocketException e) when (step == ProbeSteps.Dns)
        {
            return Result(step, $"{r.Host} does not resolve ({e.SocketErrorCode})");
        }
        catch (SocketException e)
        {
            return Result(step, $"TCP connect to {address}:{r.Port} failed: {e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.NetworkUnreachable or SocketError.HostUnreachable => "no route to the address",
                SocketError.TimedOut => "timed out",
                var other => other.ToString(),
            }}");
        }
        catch (AuthenticationException e)
        {
            return Result(ProbeSteps.Tls, $"TLS handshake failed: {e.Message}");
        }
        catch (IOException e)
        {
            return Result(step, $"{StepName(step)} failed: connection closed ({e.InnerException?.GetType().Name ?? e.GetType().Name})");
        }
    }

    private static string StepName(string step) => step switch
    {
        ProbeSteps.Dns => "DNS lookup",
        ProbeSteps.Tcp => "TCP connect",
        ProbeSteps.Tls => "TLS handshake",
        _ => "HTTP request",
    };

    private static string Describe(SslPolicyErrors e) => string.Join(", ", new[]
    {
        e.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) ? "name mismatch" : null,
        e.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) ? "untrusted chain (self-signed, expired or unknown CA)" : null,
        e.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) ? "no certificate" : null,
    }.Where(s => s is not null));

    /// <summary>The first line of the response, at most 1 KiB (a probe reads no more).</summary>
    private static async Task<string> ReadStatusLineAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[1024];
        var length = 0;
        while (length < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false);
            if (n == 0) break;
            length += n;
            var end = Array.IndexOf(buffer, (byte)'\n', 0, length);
            if (end >= 0) return Encoding.ASCII.GetString(buffer, 0, end).TrimEnd('\r');
        }
        return Encoding.ASCII.GetString(buffer, 0, length).TrimEnd('\r', '\n');
    }
}
