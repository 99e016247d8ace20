using System.Globalization;
using System.Text;
using ArtifactPortal.Core.Audit;
using nietras.SeparatedValues;

namespace ArtifactPortal.Web.Features.Audit;

/// <summary>Writes audit rows as CSV (RFC 4180 quoting, UTF-8 with a byte order mark so spreadsheets read it as UTF-8).</summary>
public static class AuditCsv
{
    public static readonly string[] ProjectColumns = ["Time (UTC)", "Actor", "Action", "Target", "Details", "IP address"];

    public static readonly string[] SiteColumns = [.. ProjectColumns, "Project"];

    public static async Task WriteAsync(Stream output, IAsyncEnumerable<AuditRow> rows, bool siteWide, CancellationToken cancellationToken)
    {
        // Kestrel refuses synchronous writes: everything below flushes asynchronously.
        await using var text = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        await using (var csv = Sep.New(',').Writer(o => o with { Escape = true, CultureInfo = CultureInfo.InvariantCulture }).To(text, leaveOpen: true))
        {
            var columns = siteWide ? SiteColumns : ProjectColumns;
            csv.Header.Add(columns);
            await csv.Header.WriteAsync(cancellationToken).ConfigureAwait(false);
            await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                await using var line = csv.NewRow(cancellationToken);
                line[columns[0]].Set(row.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                line[columns[1]].Set(Cell(row.ActorName));
                line[columns[2]].Set(Cell(row.Action));
                line[columns[3]].Set(Cell(row.Target));
                line[columns[4]].Set(Cell(row.Details));
                line[columns[5]].Set(Cell(row.IpAddress ?? ""));
                if (siteWide)
                {
                    line[columns[6]].Set(Cell(row.ProjectName ?? ""));
                }
            }

            await csv.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        await text.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Names and details come from people: a cell that starts like a formula is prefixed with an apostrophe, so a
    /// spreadsheet shows it instead of running it (CSV injection).
    /// </summary>
    public static string Cell(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
}
