using ArtifactPortal.Web.Components.Shared;

namespace ArtifactPortal.Web.Tests.Components;

public sealed class LoadCancellationTests
{
    [Fact]
    public void Next_CancelsThePreviousLoadOnly()
    {
        using var loads = new LoadCancellation();

        var first = loads.Next();
        var second = loads.Next();

        Assert.True(first.IsCancellationRequested);
        Assert.False(second.IsCancellationRequested);
        Assert.False(loads.Token.IsCancellationRequested);
    }

    [Fact]
    public void Dispose_CancelsTheLoadInFlightAndTheLifetime()
    {
        var loads = new LoadCancellation();
        var load = loads.Next();
        var lifetime = loads.Token;

        loads.Dispose();

        Assert.True(load.IsCancellationRequested);
        Assert.True(lifetime.IsCancellationRequested);
    }

    [Fact]
    public void NextAndToken_AfterDispose_AreCancelledInsteadOfThrowing()
    {
        var loads = new LoadCancellation();
        loads.Dispose();
        loads.Dispose();

        Assert.True(loads.Next().IsCancellationRequested);
        Assert.True(loads.Token.IsCancellationRequested);
        Assert.ThrowsAny<OperationCanceledException>(() => loads.Next().ThrowIfCancellationRequested());
    }
}
