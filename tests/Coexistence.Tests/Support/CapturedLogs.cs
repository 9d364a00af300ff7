using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Coexistence.Tests.Support;

/// <summary>Every log line written through it, formatted as a log sink would store it, exception included.</summary>
internal sealed class CapturedLogs : ILoggerFactory, ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines;
    public string AllText => string.Join("\n", lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void AddProvider(ILoggerProvider provider) { }
    public void Dispose() { }

    private sealed class Logger(CapturedLogs sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // Structured properties too: a telemetry sink stores them, not only the rendered message.
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            sink.lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} | {properties} {exception}");
        }
    }
}
