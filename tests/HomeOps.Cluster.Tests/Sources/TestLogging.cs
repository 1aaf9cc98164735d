using Microsoft.Extensions.Logging;

namespace HomeOps.Cluster.Tests.Sources;

/// <summary>Sends logs to the current test's output (xunit v3 hides Console), and keeps them for assertions.</summary>
internal sealed class TestLoggerProvider : ILoggerProvider
{
    private readonly ITestOutputHelper? _output = TestContext.Current.TestOutputHelper;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public static ILoggerFactory Factory(out TestLoggerProvider provider)
    {
        var p = provider = new TestLoggerProvider();
        return LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(p));
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public void Dispose() { }

    private void Write(string line)
    {
        _lines.Enqueue(line);
        try { _output?.WriteLine(line); }
        catch (InvalidOperationException) { /* the test already finished */ }
    }

    private sealed class Logger(TestLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Write($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel.ToString()[..4]} {category}: {formatter(state, exception)}{(exception is null ? "" : $" [{exception.GetType().Name}: {exception.Message}]")}");
    }
}
