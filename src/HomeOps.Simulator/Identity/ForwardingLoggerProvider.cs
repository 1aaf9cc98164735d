using Microsoft.Extensions.Logging;

namespace HomeOps.Simulator.Identity;

/// <summary>
/// Sends the provider host's logs to the caller's logger factory (Serilog in the dashboard, a capture in tests)
/// without handing that factory to the host's container, which would otherwise dispose it with the host.
/// </summary>
internal sealed class ForwardingLoggerProvider(ILoggerFactory target) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => target.CreateLogger(categoryName);

    public void Dispose()
    {
    }
}
