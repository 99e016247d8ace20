using System.Globalization;

namespace ArtifactPortal.Core.Statistics;

/// <summary>The accumulators of one table: a <see cref="ColumnAccumulator"/> per column and the duplicate-row estimator.</summary>
public sealed class TableAccumulator
{
    private readonly List<ColumnAccumulator> _columns = [];

    public TableAccumulator(IEnumerable<string> columnNames)
    {
        ArgumentNullException.ThrowIfNull(columnNames);
        foreach (var name in columnNames)
        {
            AddColumn(name);
        }
    }

    public IReadOnlyList<ColumnAccumulator> Columns => _columns;

    public DuplicateRowEstimator Rows { get; } = new();

    public long RowCount => Rows.Rows;

    /// <summary>A column first seen after <paramref name="rowsBefore"/> rows (JSON Lines): it was null in all of them.</summary>
    public ColumnAccumulator AddColumn(string name, long rowsBefore = 0)
    {
        var column = new ColumnAccumulator(name, seed: _columns.Count + 1);
        column.AddNulls(rowsBefore);
        _columns.Add(column);
        return column;
    }

    public void Merge(TableAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Rows.Merge(other.Rows);
        for (var i = 0; i < _columns.Count; i++)
        {
            _columns[i].Merge(other._columns[i]);
        }
    }

    public FileStatistics Build(string format, long sizeBytes, CsvDialect? dialect)
    {
        var columns = new List<ColumnStatistics>(_columns.Count);
        var warnings = new List<StatisticsWarning>();
        foreach (var column in _columns)
        {
            var statistics = column.ToStatistics();
            columns.Add(statistics);
            warnings.AddRange(column.Warnings(statistics, RowCount));
        }

        var duplicates = Rows.Duplicates;
        if (duplicates > 0)
        {
            warnings.Insert(0, new StatisticsWarning("duplicate-rows", null, string.Create(CultureInfo.InvariantCulture,
                $"{(Rows.IsEstimate ? "About " : "")}{duplicates} row(s) repeat an earlier row.")));
        }

        return new FileStatistics
        {
            Format = format,
            SizeBytes = sizeBytes,
            RowCount = RowCount,
            DuplicateRowEstimate = duplicates,
            Dialect = dialect,
            Columns = columns,
            Warnings = warnings,
        };
    }
}
