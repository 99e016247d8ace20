using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Common;

/// <summary>The total behind a page of a list, counted only when the page itself cannot tell it.</summary>
public static class PageTotal
{
    /// <summary>
    /// A page that is not full is the last one, so the total is the rows before it plus its own; only a full page (or an
    /// empty one past the end) needs the count query. Most lists fit on their first page, so most requests spare a round trip.
    /// </summary>
    /// <param name="query">The filtered rows the page was taken from.</param>
    public static async Task<int> CountAsync<T>(IQueryable<T> query, int skip, int take, int rowsOnPage, CancellationToken cancellationToken)
    {
        var isLastPage = rowsOnPage < take && (rowsOnPage > 0 || skip == 0);
        return isLastPage ? skip + rowsOnPage : await query.CountAsync(cancellationToken).ConfigureAwait(false);
    }
}
