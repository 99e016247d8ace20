using Microsoft.Playwright;

namespace ArtifactPortal.EndToEndTests;

/// <summary>Holds a page's requests to matching addresses, as a slow server would, until <see cref="Release"/>.</summary>
public sealed class HeldRequests
{
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HeldRequests()
    {
    }

    /// <summary>Completes when the first matching request is being held.</summary>
    public Task Arrived => _arrived.Task;

    public static async Task<HeldRequests> HoldAsync(IPage page, string urlGlob)
    {
        var held = new HeldRequests();
        await page.RouteAsync(urlGlob, async route =>
        {
            held._arrived.TrySetResult();
            await held._released.Task;
            await route.ContinueAsync();
        });
        return held;
    }

    /// <summary>Lets the held requests, and any later ones, through to the portal.</summary>
    public void Release() => _released.TrySetResult();
}
