using Hangfire.Logging;
using Microsoft.Extensions.Logging;

namespace ArtifactPortal.Infrastructure.Jobs;

/// <summary>
/// Hangfire's log provider is process-wide and the last host to configure Hangfire sets it. A process hosting several
/// portals (the test suites) disposes some while others keep enqueuing jobs: loggers asked of a disposed host are
/// silent instead of failing the job creation.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private static readonly ILog Silent = new SilentLog();

    public ILog GetLogger(string name)
    {
        try
        {
            return new HostLog(loggerFactory.CreateLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return Silent;
        }
    }

    private sealed class HostLog(Microsoft.Extensions.Logging.ILogger logger) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            var level = logLevel switch
            {
                Hangfire.Logging.LogLevel.Trace => Microsoft.Extensions.Logging.LogLevel.Trace,
                Hangfire.Logging.LogLevel.Debug => Microsoft.Extensions.Logging.LogLevel.Debug,
                Hangfire.Logging.LogLevel.Info => Microsoft.Extensions.Logging.LogLevel.Information,
                Hangfire.Logging.LogLevel.Warn => Microsoft.Extensions.Logging.LogLevel.Warning,
                Hangfire.Logging.LogLevel.Error => Microsoft.Extensions.Logging.LogLevel.Error,
                _ => Microsoft.Extensions.Logging.LogLevel.Critical,
            };
            try
            {
                if (messageFunc is null || !logger.IsEnabled(level))
                {
                    return logger.IsEnabled(level);
                }

#pragma warning disable CA1848, CA2254, CA1873 // Hangfire hands over finished messages; there is no template to cache.
                logger.Log(level, exception, messageFunc());
#pragma warning restore CA1848, CA2254, CA1873
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }

    private sealed class SilentLog : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
