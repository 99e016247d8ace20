using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Common;

/// <summary>Pages of a list: which rows a page holds, and the total behind it.</summary>
public static class Paging
{
    /// <summary>The rows of a 1-based page; a page below 1 is the first, a size outside 1..<paramref name="maxPageSize"/> is clamped.</summary>
    public static (int Skip, int Take) Window(int page, int pageSize, int maxPageSize)
    {
        var take = Math.Clamp(pageSize, 1, maxPageSize);
        return ((Math.Max(page, 1) - 1) * take, take);
    }

    /// <summary>
    /// The total, counted only when the page cannot tell it. A page that is not full is the last one, so the total is the rows
    /// before it plus its own; only a full page (or an empty one past the end) needs the count query. Most lists fit on their
    /// first page, so most requests spare a round trip.
    /// </summary>
    /// <param name="rows">The filtered rows the page was taken from.</param>
    public static async Task<int> TotalAsync<T>(IQueryable<T> rows, int skip, int take, int rowsOnPage, CancellationToken cancellationToken)
    {
        var isLastPage = rowsOnPage < take && (rowsOnPage > 0 || skip == 0);
        return isLastPage ? skip + rowsOnPage : await rows.CountAsync(cancellationToken).ConfigureAwait(false);
    }
}
