using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ThreatGraph.GraphApi.Browser.Tests;

/// <summary>Every log line the host writes (Information and above, as in production), so a test can check that no
/// API key the browser sent ever reaches a log.</summary>
public sealed class LogCapture : ILoggerProvider
{
    readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    public void AssertNeverLogged(string secret) =>
        Assert.True(!_lines.Any(l => l.Contains(secret, StringComparison.Ordinal)), $"a log line holds '{secret}'");

    sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
