using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ArtifactPortal.IntegrationTests.Support;

/// <summary>
/// Counts the SQL commands EF Core runs inside one call, through its DiagnosticListener. The count follows the async flow
/// of the call, so tests running in parallel on the same portal do not add to it.
/// </summary>
public static class DatabaseCommands
{
    private static readonly AsyncLocal<List<string>?> Current = new();
    private static readonly Lazy<IDisposable> Subscription = new(() => DiagnosticListener.AllListeners.Subscribe(new ListenerObserver()));

    /// <summary>
    /// Listens from now on. EF remembers for a while that nobody listened to its command events, so a listener that arrives
    /// just before a count misses the first commands: the fixture calls this before any portal starts.
    /// </summary>
    public static void Listen() => _ = Subscription.Value;

    public static async Task<(T Result, int Commands)> CountAsync<T>(Func<Task<T>> call)
    {
        var (result, commands) = await RecordAsync(call);
        return (result, commands.Count);
    }

    /// <summary>The SQL text of every command run inside <paramref name="call"/>, in order: a failing count can say which.</summary>
    public static async Task<(T Result, IReadOnlyList<string> Commands)> RecordAsync<T>(Func<Task<T>> call)
    {
        Listen();
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

    private sealed class ListenerObserver : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == DbLoggerCategory.Name)
            {
                value.Subscribe(this, name => name == RelationalEventId.CommandExecuted.Name);
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (Current.Value is { } commands)
            {
                lock (commands)
                {
                    commands.Add(value.Value is CommandEventData data ? data.Command.CommandText : value.Key);
                }
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
