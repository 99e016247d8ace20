using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ArtifactPortal.IntegrationTests.Support;

/// <summary>
/// Counts the SQL commands EF Core runs inside one call, through its DiagnosticListener. The count follows the async flow
/// of the call, so tests running in parallel on the same portal do not add to it.
/// </summary>
public static class DatabaseCommands
{
    private static readonly AsyncLocal<StrongBox<int>?> Current = new();
    private static readonly Lazy<IDisposable> Subscription = new(() => DiagnosticListener.AllListeners.Subscribe(new ListenerObserver()));

    public static async Task<(T Result, int Commands)> CountAsync<T>(Func<Task<T>> call)
    {
        _ = Subscription.Value;
        var counter = new StrongBox<int>();
        Current.Value = counter;
        try
        {
            var result = await call();
            return (result, counter.Value);
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
            if (Current.Value is { } counter)
            {
                Interlocked.Increment(ref counter.Value);
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
