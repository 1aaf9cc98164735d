using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace HomeOps.Reliability.Tests.Support;

/// <summary>
/// Keeps the last lines logged (information and above) in memory: hundreds of schedules would drown the test output,
/// but a failing schedule's report carries the tail of what its informers and simulator said.
/// </summary>
internal sealed class LogBuffer : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly int _capacity;

    public LogBuffer(int capacity = 400) => _capacity = capacity;

    public ILoggerFactory Factory() => LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(this));

    public IReadOnlyList<string> Lines => [.. _lines];

    public string Tail(int lines = 60) => string.Join("\n", _lines.TakeLast(lines));

    public void Clear() => _lines.Clear();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public void Dispose() { }

    private void Write(string line)
    {
        _lines.Enqueue(line);
        while (_lines.Count > _capacity && _lines.TryDequeue(out _)) { }
    }

    private sealed class Logger(LogBuffer owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            owner.Write($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel.ToString()[..4]} {category}: {formatter(state, exception)}");
        }
    }
}
