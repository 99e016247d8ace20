using System.Globalization;

namespace ArtifactPortal.Core.Statistics;

/// <summary>
/// Everything one column's statistics need, updated value by value in O(1) memory per column. Text cells (CSV, JSON strings)
/// go through <see cref="AddText"/>, which infers each cell's type; typed readers (Parquet) call the typed Add methods.
/// The column's type is its most common kind of value; numbers, booleans and date-times keep their own accumulators, so a
/// column of numbers with a few stray words still gets number statistics (and a mixed-types warning).
/// </summary>
public sealed class ColumnAccumulator(string name, int seed = 1)
{
    private readonly RunningMoments _numbers = new();
    private readonly RunningMoments _dates = new();
    private readonly DistinctCounter _distinct = new();
    private readonly HeavyHitters _top = new();
    private QuantileSketch? _numberSample;
    private QuantileSketch? _dateSample;
    private long _nulls, _integers, _floats, _trues, _falses, _strings;
    private long _lengthSum, _lengthCount;
    private int _lengthMin = int.MaxValue, _lengthMax;
    private long _suspicious;
    private string? _suspiciousExample, _stringExample;

    public string Name { get; } = name;

    public long Count => _integers + _floats + _trues + _falses + _dates.Count + _strings;

    public long Nulls => _nulls;

    public void AddNull() => _nulls++;

    public void AddNulls(long count) => _nulls += count;

    /// <summary>A cell of a text format; empty is null. Returns the cell's hash for the row hash.</summary>
    public void AddText(ReadOnlySpan<char> text)
    {
        switch (CellParser.Parse(text, out var value))
        {
            case CellKind.Null:
                _nulls++;
                return;
            case CellKind.Integer:
                AddNumber(value, isInteger: true);
                break;
            case CellKind.Float:
                AddNumber(value, isInteger: false);
                break;
            case CellKind.Boolean:
                AddBoolean(value != 0);
                break;
            case CellKind.DateTime:
                AddDateTime(value);
                break;
            default:
                AddString(text);
                return;
        }

        AddLength(text.Length);
        if (_strings > 0)
        {
            // Once a column holds words, its other values count among its most frequent values too.
            _top.Add(StatisticsHash.Text(text), text);
        }
    }

    public void AddNumber(double value, bool isInteger)
    {
        if (double.IsNaN(value))
        {
            // A float NaN in a typed file is a missing value written the way NumPy writes it.
            _nulls++;
            NoteSuspicious("NaN");
            return;
        }

        if (isInteger)
        {
            _integers++;
        }
        else
        {
            _floats++;
        }

        _numbers.Add(value);
        (_numberSample ??= new QuantileSketch(seed)).Add(value);
        _distinct.Add(StatisticsHash.Number(value));
    }

    public void AddBoolean(bool value)
    {
        if (value)
        {
            _trues++;
        }
        else
        {
            _falses++;
        }

        _distinct.Add(value ? 0x7FFF_0001UL : 0x7FFF_0000UL);
    }

    public void AddDateTime(double unixSeconds)
    {
        _dates.Add(unixSeconds);
        (_dateSample ??= new QuantileSketch(seed)).Add(unixSeconds);
        _distinct.Add(StatisticsHash.Mix(StatisticsHash.Number(unixSeconds) ^ 0xD47E));
    }

    /// <summary>A value that is text whatever it looks like (a string column of a typed file, or a cell no other kind fits).</summary>
    public void AddString(ReadOnlySpan<char> text)
    {
        _strings++;
        _stringExample ??= text.Length > 40 ? string.Concat(text[..40], "…") : text.ToString();
        var hash = StatisticsHash.Text(text);
        _distinct.Add(hash);
        _top.Add(hash, text);
        AddLength(text.Length);
        if (CellParser.IsSuspiciousNullText(text))
        {
            NoteSuspicious(text.ToString());
        }
    }

    public void Merge(ColumnAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _numbers.Merge(other._numbers);
        _dates.Merge(other._dates);
        _distinct.Merge(other._distinct);
        _top.Merge(other._top);
        _numberSample = MergeSample(_numberSample, other._numberSample);
        _dateSample = MergeSample(_dateSample, other._dateSample);
        _nulls += other._nulls;
        _integers += other._integers;
        _floats += other._floats;
        _trues += other._trues;
        _falses += other._falses;
        _strings += other._strings;
        _lengthSum += other._lengthSum;
        _lengthCount += other._lengthCount;
        _lengthMin = Math.Min(_lengthMin, other._lengthMin);
        _lengthMax = Math.Max(_lengthMax, other._lengthMax);
        _suspicious += other._suspicious;
        _suspiciousExample ??= other._suspiciousExample;
        _stringExample ??= other._stringExample;
    }

    public ColumnType InferType()
    {
        var numbers = _integers + _floats;
        var booleans = _trues + _falses;
        var best = Math.Max(Math.Max(numbers, booleans), Math.Max(_dates.Count, _strings));
        if (best == 0 || best == _strings)
        {
            return ColumnType.String;
        }

        if (best == numbers)
        {
            return _floats > 0 ? ColumnType.Float : ColumnType.Integer;
        }

        return best == _dates.Count ? ColumnType.DateTime : ColumnType.Boolean;
    }

    public ColumnStatistics ToStatistics()
    {
        var type = InferType();
        var statistics = new ColumnStatistics
        {
            Name = Name,
            Type = type,
            Count = Count,
            Nulls = _nulls,
            Distinct = _distinct.Count,
            DistinctIsEstimate = _distinct.IsEstimate,
            Lengths = type == ColumnType.String && _lengthCount > 0
                ? new LengthStatistics(_lengthMin, (double)_lengthSum / _lengthCount, _lengthMax)
                : null,
        };
        return type switch
        {
            ColumnType.Integer or ColumnType.Float => WithDistribution(statistics, _numbers, _numberSample, type == ColumnType.Integer),
            ColumnType.DateTime => WithDistribution(statistics, _dates, _dateSample, isInteger: false) with { Zeros = 0, Negatives = 0 },
            ColumnType.Boolean => WithBooleans(statistics),
            _ => WithTopValues(statistics),
        };
    }

    public IEnumerable<StatisticsWarning> Warnings(ColumnStatistics statistics, long rows)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        var kinds = new (string Kind, long Count)[]
        {
            ("number", _integers + _floats), ("boolean", _trues + _falses), ("date-time", _dates.Count), ("text", _strings),
        };
        var present = kinds.Where(k => k.Count > 0).OrderByDescending(k => k.Count).ToList();
        if (present.Count > 1)
        {
            var parts = string.Join(", ", present.Select(k => string.Create(CultureInfo.InvariantCulture,
                $"{k.Count} {k.Kind}{(k.Kind == "text" && _stringExample is not null ? $" (e.g. \"{_stringExample}\")" : "")}")));
            yield return new StatisticsWarning("mixed-types", Name, $"Column \"{Name}\" mixes kinds of values: {parts}.");
        }

        if (statistics.Count > 0 && rows > 1 && statistics.Distinct == 1)
        {
            yield return new StatisticsWarning("constant-column", Name, $"Column \"{Name}\" has the same value in every non-empty row.");
        }

        if (statistics.NullFraction > 0.5)
        {
            yield return new StatisticsWarning("mostly-null", Name, string.Create(CultureInfo.InvariantCulture,
                $"Column \"{Name}\" is empty in {statistics.NullFraction:P0} of the rows."));
        }

        if (statistics.Type is ColumnType.Integer or ColumnType.String && statistics.Count >= 1000
            && statistics.Distinct >= 0.95 * statistics.Count)
        {
            yield return new StatisticsWarning("id-like", Name,
                $"Column \"{Name}\" has a different value in almost every row: it looks like an identifier, not a feature.");
        }

        if (_suspicious > 0)
        {
            yield return new StatisticsWarning("suspicious-values", Name, string.Create(CultureInfo.InvariantCulture,
                $"Column \"{Name}\" holds {_suspicious} value(s) such as \"{_suspiciousExample}\" that probably mean a missing value."));
        }
    }

    private static ColumnStatistics WithDistribution(ColumnStatistics statistics, RunningMoments moments, QuantileSketch? sample, bool isInteger)
    {
        if (moments.Count == 0 || sample is null)
        {
            return statistics;
        }

        return statistics with
        {
            Min = moments.Min,
            Max = moments.Max,
            Mean = moments.Mean,
            StandardDeviation = moments.StandardDeviation,
            Zeros = moments.Zeros,
            Negatives = moments.Negatives,
            Quantiles = new Quantiles(sample.Quantile(0.01), sample.Quantile(0.05), sample.Quantile(0.25), sample.Quantile(0.5),
                sample.Quantile(0.75), sample.Quantile(0.95), sample.Quantile(0.99)),
            Histogram = HistogramBins.Build(moments.Min, moments.Max, isInteger, sample),
        };
    }

    private ColumnStatistics WithBooleans(ColumnStatistics statistics)
    {
        var n = _trues + _falses;
        var p = (double)_trues / n;
        return statistics with
        {
            Min = _falses > 0 ? 0 : 1,
            Max = _trues > 0 ? 1 : 0,
            Mean = p,
            StandardDeviation = n < 2 ? 0 : Math.Sqrt(n * p * (1 - p) / (n - 1)),
            Zeros = _falses,
            TopValues = [.. new[] { new ValueCount("true", _trues), new ValueCount("false", _falses) }
                .Where(v => v.Count > 0).OrderByDescending(v => v.Count)],
            OtherCount = Count - n,
        };
    }

    private ColumnStatistics WithTopValues(ColumnStatistics statistics)
    {
        var top = _top.Top(20);
        return statistics with { TopValues = top, OtherCount = Count - top.Sum(v => v.Count) };
    }

    private void AddLength(int length)
    {
        _lengthSum += length;
        _lengthCount++;
        _lengthMin = Math.Min(_lengthMin, length);
        _lengthMax = Math.Max(_lengthMax, length);
    }

    private void NoteSuspicious(string example)
    {
        _suspicious++;
        _suspiciousExample ??= example;
    }

    private static QuantileSketch? MergeSample(QuantileSketch? mine, QuantileSketch? other) =>
        mine is null ? other : other is null ? mine : mine.MergeWith(other);
}
