using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ArtifactPortal.IntegrationTests.Support;

/// <summary>
/// Counts the SQL commands EF Core runs inside one call, through an interceptor every test portal carries. The count
/// follows the async flow of the call, so tests running in parallel on the same portal do not add to it. (EF's
/// DiagnosticListener was tried first: EF caches per pooled context whether anyone listens, and dropped commands at random.)
/// </summary>
public static class DatabaseCommands
{
    private static readonly AsyncLocal<List<string>?> Current = new();

    /// <summary>Added to every portal's contexts by <see cref="PortalWebApplicationFactory"/>; records only inside a count.</summary>
    public static IInterceptor Interceptor { get; } = new RecordingInterceptor();

    public static async Task<(T Result, int Commands)> CountAsync<T>(Func<Task<T>> call)
    {
        var (result, commands) = await RecordAsync(call);
        return (result, commands.Count);
    }

    /// <summary>The SQL text of every command run inside <paramref name="call"/>, in order: a failing count can say which.</summary>
    public static async Task<(T Result, IReadOnlyList<string> Commands)> RecordAsync<T>(Func<Task<T>> call)
    {
        var commands = new List<string>();
        Current.Value = commands;
        try
        {
            var result = await call();
            lock (commands)
            {
                return (result, [.. commands]);
            }
        }
        finally
        {
            Current.Value = null;
        }
    }

    private static void Record(DbCommand command)
    {
        if (Current.Value is { } commands)
        {
            lock (commands)
            {
                commands.Add(command.CommandText);
            }
        }
    }

    /// <summary>EF creates and initializes a new command for every execution (query, non-query, scalar, sync or async).</summary>
    private sealed class RecordingInterceptor : DbCommandInterceptor
    {
        public override DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result)
        {
            Record(result);
            return result;
        }
    }
}
