using System.Collections.Concurrent;
using System.Security.Claims;

namespace ArtifactPortal.Infrastructure.Identity;

/// <summary>
/// The claims built for a personal access token, so a busy client (a training script logging metrics) costs one query per
/// call instead of five. Safe with several portal nodes: every call still reads the token's and its owner's state, and an
/// entry is used only while the owner's concurrency stamp (rotated by every UserManager change: roles, name, email) and
/// security stamp are the ones it was built from.
/// </summary>
public sealed class TokenPrincipalCache
{
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    public IReadOnlyList<Claim>? Find(Guid tokenId, string? concurrencyStamp, string? securityStamp) =>
        _entries.TryGetValue(tokenId, out var entry)
            && string.Equals(entry.ConcurrencyStamp, concurrencyStamp, StringComparison.Ordinal)
            && string.Equals(entry.SecurityStamp, securityStamp, StringComparison.Ordinal)
            ? entry.Claims
            : null;

    public void Store(Guid tokenId, string? concurrencyStamp, string? securityStamp, IEnumerable<Claim> claims)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[tokenId] = new Entry(concurrencyStamp, securityStamp, [.. claims.Select(c => c.Clone())]);
    }

    private sealed record Entry(string? ConcurrencyStamp, string? SecurityStamp, IReadOnlyList<Claim> Claims);
}
