namespace ArtifactPortal.Web.Components.Shared;

/// <summary>
/// A component's cancellation: <see cref="Next"/> cancels the previous load and starts a new one, <see cref="Token"/>
/// lives as long as the component, and <see cref="Dispose"/> stops everything. Safe after Dispose — a load that resumes
/// once the circuit has gone gets a cancelled token instead of an <see cref="ObjectDisposedException"/>.
/// </summary>
internal sealed class LoadCancellation : IDisposable
{
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _lifetime = new();
    private CancellationTokenSource? _load;
    private bool _disposed;

    /// <summary>Cancelled when the component goes; for saves, polling and other work that a new load must not stop.</summary>
    public CancellationToken Token
    {
        get
        {
            lock (_lock)
            {
                return _disposed ? new CancellationToken(canceled: true) : _lifetime.Token;
            }
        }
    }

    /// <summary>Cancels the load started by the previous call and returns the token of a new one.</summary>
    public CancellationToken Next()
    {
        CancellationTokenSource? previous;
        CancellationToken token;
        lock (_lock)
        {
            if (_disposed)
            {
                return new CancellationToken(canceled: true);
            }

            previous = _load;
            _load = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
            token = _load.Token;
        }

        // Outside the lock: cancelling runs the old load's callbacks inline.
        previous?.Cancel();
        previous?.Dispose();
        return token;
    }

    public void Dispose()
    {
        CancellationTokenSource? load;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            load = _load;
            _load = null;
        }

        _lifetime.Cancel();
        _lifetime.Dispose();
        load?.Dispose();
    }
}
