using Microsoft.Extensions.Logging;

namespace ArtifactPortal.EndToEndTests;

/// <summary>
/// Writes the portal's warnings and errors to a file beside the test results. The test host swallows the console, and a
/// page that shows "Something went wrong" says nothing about why; <c>.ci/test.sh</c> prints this file when a test fails.
/// </summary>
public sealed class PortalLogFile(string path) : ILoggerProvider
{
    private readonly Lock _lock = new();
    private readonly StreamWriter _writer = new(path, append: false) { AutoFlush = true };

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
        lock (_lock)
        {
            _writer.Dispose();
        }
    }

    private void Write(string line)
    {
        lock (_lock)
        {
            _writer.WriteLine(line);
        }
    }

    private sealed class Logger(PortalLogFile file, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                file.Write($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}");
            }
        }
    }
}
