using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace HomeOps.Dashboard.Hosting;

/// <summary>
/// The origins (scheme, host, port) at which a browser can reach this dashboard, derived from the addresses Kestrel
/// bound: a loopback listener also answers as <c>localhost</c>, <c>127.0.0.1</c> and <c>[::1]</c>; a listener on every
/// interface (<c>0.0.0.0</c>, <c>[::]</c>) also as the machine's names and interface addresses. Anything else in a
/// <c>Host</c> header is not an origin of this dashboard: the embedded sign-in refuses it, so a spoofed host can never
/// become a redirect target. Known once the server listens (<see cref="Set"/>).
/// </summary>
public sealed class DashboardOrigins
{
    private volatile IReadOnlyList<Uri> _all = [];

    /// <summary>Every origin, each as <c>scheme://host:port/</c>.</summary>
    public IReadOnlyList<Uri> All => _all;

    public void Set(IEnumerable<Uri> origins) => _all = origins.Distinct().ToList();

    /// <summary>The origin the request came in on, if it is one of <see cref="All"/>.</summary>
    public bool TryMatch(HttpRequest request, out Uri origin)
    {
        origin = null!;
        if (!request.Host.HasValue) return false;
        var port = request.Host.Port ?? (request.IsHttps ? 443 : 80);
        foreach (var known in _all)
        {
            if (string.Equals(known.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase) && known.Port == port &&
                string.Equals(known.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase))
            {
                origin = known;
                return true;
            }
        }
        return false;
    }

    /// <summary>The origins for the bound <paramref name="addresses"/> on a machine with these names and interface addresses.</summary>
    public static IReadOnlyList<Uri> FromBoundAddresses(IEnumerable<string> addresses, IEnumerable<string> machineNames, IEnumerable<IPAddress> interfaceAddresses)
    {
        var names = machineNames.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.ToLowerInvariant()).ToList();
        var interfaces = interfaceAddresses.ToList();
        var origins = new List<Uri>();
        foreach (var address in addresses)
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri)) continue;
            var scheme = uri.Scheme;
            var port = uri.Port;
            void Add(string host) => origins.Add(new Uri($"{scheme}://{host}:{port}/"));

            if (IsWildcard(uri))
            {
                foreach (var name in names) Add(name);
                AddLoopback(Add);
                foreach (var ip in interfaces) Add(Literal(ip));
            }
            else if (uri.IsLoopback)
            {
                AddLoopback(Add);
            }
            else
            {
                Add(uri.Host);
            }
        }
        return origins.Distinct().ToList();
    }

    /// <summary>The URLs worth printing: a wildcard listener as the machine's name and localhost, others as bound.</summary>
    public static IReadOnlyList<string> Printable(IEnumerable<string> addresses, string machineName)
    {
        var urls = new List<string>();
        foreach (var address in addresses)
        {
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && IsWildcard(uri))
            {
                if (!string.IsNullOrWhiteSpace(machineName)) urls.Add($"{uri.Scheme}://{machineName.ToLowerInvariant()}:{uri.Port}");
                urls.Add($"{uri.Scheme}://localhost:{uri.Port}");
            }
            else
            {
                urls.Add(address);
            }
        }
        return urls.Distinct().ToList();
    }

    /// <summary>This machine's host name (and its fully qualified form, when the resolver knows one).</summary>
    public static IReadOnlyList<string> MachineNames()
    {
        var names = new List<string> { Dns.GetHostName() };
        try
        {
            // Usually answered from /etc/hosts; a slow resolver must not hold up the start.
            var entry = Dns.GetHostEntryAsync(names[0]).WaitAsync(TimeSpan.FromSeconds(2)).GetAwaiter().GetResult();
            names.Add(entry.HostName);
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException or ArgumentException)
        {
            // The bare host name is still known.
        }
        return names;
    }

    /// <summary>The unicast addresses of the interfaces that are up (IPv6 link-local ones need a zone a browser cannot type).</summary>
    public static IReadOnlyList<IPAddress> InterfaceAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses.Select(a => a.Address))
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork || (a.AddressFamily == AddressFamily.InterNetworkV6 && !a.IsIPv6LinkLocal))
            .ToList();

    private static bool IsWildcard(Uri uri) =>
        uri.Host is "0.0.0.0" or "[::]" or "+" or "*" ||
        (IPAddress.TryParse(uri.Host, out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)));

    private static void AddLoopback(Action<string> add)
    {
        add("localhost");
        add("127.0.0.1");
        add("[::1]");
    }

    private static string Literal(IPAddress ip) =>
        ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString();
}
