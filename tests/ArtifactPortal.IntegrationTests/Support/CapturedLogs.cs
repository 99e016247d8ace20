using System.Collections.Concurrent;
using AngleSharp.Html.Parser;
using ArtifactPortal.Infrastructure.Email;
using Microsoft.Extensions.Logging;

namespace ArtifactPortal.IntegrationTests.Support;

public sealed record CapturedLog(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Values);

/// <summary>Keeps every log message of one portal host, so tests can read what an operator would read.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyCollection<CapturedLog> Entries => _entries;

    /// <summary>The link in the last email that would have gone to <paramref name="recipient"/> (no SMTP: it is logged).</summary>
    public Uri LastEmailLink(string recipient)
    {
        var email = _entries.LastOrDefault(e =>
            e.Category == typeof(LogEmailTransport).FullName
            && Equals(e.Values.GetValueOrDefault("To"), recipient));
        Assert.True(email is not null, $"No email to {recipient} was logged.");
        using var body = new HtmlParser().ParseDocument(email.Values["Body"]?.ToString() ?? "");
        var href = body.QuerySelector("a[href]")?.GetAttribute("href");
        Assert.False(string.IsNullOrEmpty(href), $"The email to {recipient} has no link: {email.Message}");
        return new Uri(href, UriKind.Absolute);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value)
                : new Dictionary<string, object?>();
            entries.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), values));
        }
    }
}
