using System.Globalization;

namespace ArtifactPortal.Core.Runs;

public enum RunFilterField
{
    Param,
    Metric,
    Status,
    Name,
    Tag,
}

public enum RunFilterOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <param name="Key">The param or metric key; null for status, name and tags.</param>
/// <param name="Number">The value as a number when it reads as one.</param>
public sealed record RunFilterCondition(RunFilterField Field, string? Key, RunFilterOperator Operator, string Value, double? Number);

/// <summary>An unparsable filter; <see cref="Position"/> is 1-based.</summary>
public sealed class RunFilterException(string message, int position) : Exception(message)
{
    public int Position { get; } = position;
}

/// <summary>
/// The runs list filter: <c>params.lr &gt; 0.01 and metrics.val_acc &gt;= 0.9 and tags = baseline</c>. Conditions on
/// <c>params.X</c>, <c>metrics.X</c> (last value), <c>status</c>, <c>name</c> and <c>tags</c>, joined by <c>and</c>;
/// values may be quoted with ' or ".
/// </summary>
public sealed class RunFilter
{
    private const string Fields = "params.KEY, metrics.KEY, status, name or tags";

    private RunFilter(IReadOnlyList<RunFilterCondition> conditions) => Conditions = conditions;

    public static RunFilter Empty { get; } = new([]);

    public IReadOnlyList<RunFilterCondition> Conditions { get; }

    /// <exception cref="RunFilterException">The text is not a filter; the message says where and what was expected.</exception>
    public static RunFilter Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Empty;
        }

        var reader = new Reader(text);
        var conditions = new List<RunFilterCondition>();
        while (true)
        {
            conditions.Add(ReadCondition(reader));
            reader.SkipSpaces();
            if (reader.AtEnd)
            {
                return new RunFilter(conditions);
            }

            var position = reader.Position;
            var word = reader.ReadWord();
            if (!string.Equals(word, "and", StringComparison.OrdinalIgnoreCase))
            {
                throw Error($"expected 'and' or the end of the filter, found '{word}'", position);
            }
        }
    }

    /// <summary>Whether a run's param value meets a param condition: numbers compare as numbers, anything else as text ignoring case.</summary>
    public static bool Matches(RunFilterCondition condition, string? paramValue)
    {
        if (paramValue is null)
        {
            return false;
        }

        var comparison = condition.Number is { } number && TryNumber(paramValue, out var value)
            ? value.CompareTo(number)
            : string.Compare(paramValue, condition.Value, StringComparison.OrdinalIgnoreCase);
        return condition.Operator switch
        {
            RunFilterOperator.Equal => comparison == 0,
            RunFilterOperator.NotEqual => comparison != 0,
            RunFilterOperator.Less => comparison < 0,
            RunFilterOperator.LessOrEqual => comparison <= 0,
            RunFilterOperator.Greater => comparison > 0,
            _ => comparison >= 0,
        };
    }

    /// <summary>Orders param values: numbers by value first, then text ignoring case.</summary>
    public static int CompareParamValues(string a, string b)
    {
        var aIsNumber = TryNumber(a, out var x);
        var bIsNumber = TryNumber(b, out var y);
        return aIsNumber && bIsNumber ? x.CompareTo(y)
            : aIsNumber ? -1
            : bIsNumber ? 1
            : string.Compare(a, b, StringComparison.OrdinalIgnoreCase);
    }

    public static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static RunFilterCondition ReadCondition(Reader reader)
    {
        reader.SkipSpaces();
        var fieldAt = reader.Position;
        var name = reader.ReadName();
        if (name.Length == 0)
        {
            throw Error(reader.AtEnd ? $"expected a condition such as params.lr > 0.01 at the end" : $"expected {Fields}", fieldAt);
        }

        var (field, key) = name.ToLowerInvariant() switch
        {
            "status" => (RunFilterField.Status, null),
            "name" => (RunFilterField.Name, null),
            "tags" or "tag" => (RunFilterField.Tag, null),
            _ when name.StartsWith("params.", StringComparison.OrdinalIgnoreCase) => (RunFilterField.Param, name[7..]),
            _ when name.StartsWith("metrics.", StringComparison.OrdinalIgnoreCase) => (RunFilterField.Metric, name[8..]),
            _ => throw Error($"'{name}' is not a field; use {Fields}", fieldAt),
        };
        if (key is { Length: 0 })
        {
            throw Error($"'{name}' needs a key, e.g. {name}lr", fieldAt);
        }

        reader.SkipSpaces();
        var operatorAt = reader.Position;
        var op = reader.ReadOperator() ?? throw Error($"expected a comparison (= != < <= > >=) after '{name}'", operatorAt);
        reader.SkipSpaces();
        var valueAt = reader.Position;
        var value = reader.ReadValue() ?? throw Error($"expected a value after '{name} {Symbol(op)}'", valueAt);
        var number = TryNumber(value, out var parsed) ? parsed : (double?)null;
        switch (field)
        {
            case RunFilterField.Metric when number is null:
                throw Error($"{name} is compared with a number, not '{value}'", valueAt);
            case RunFilterField.Status or RunFilterField.Name or RunFilterField.Tag when op is not (RunFilterOperator.Equal or RunFilterOperator.NotEqual):
                throw Error($"{name} can only be compared with = or !=", operatorAt);
            case RunFilterField.Status when !Enum.TryParse<RunStatus>(value, ignoreCase: true, out _) || int.TryParse(value, out _):
                throw Error($"status is one of running, finished, failed or killed, not '{value}'", valueAt);
        }

        return new RunFilterCondition(field, key, op, value, number);
    }

    private static string Symbol(RunFilterOperator op) => op switch
    {
        RunFilterOperator.Equal => "=",
        RunFilterOperator.NotEqual => "!=",
        RunFilterOperator.Less => "<",
        RunFilterOperator.LessOrEqual => "<=",
        RunFilterOperator.Greater => ">",
        _ => ">=",
    };

    private static RunFilterException Error(string what, int index) =>
        new($"The filter is not valid at position {index + 1}: {what}.", index + 1);

    private sealed class Reader(string text)
    {
        public int Position { get; private set; }

        public bool AtEnd => Position >= text.Length;

        public void SkipSpaces()
        {
            while (!AtEnd && char.IsWhiteSpace(text[Position]))
            {
                Position++;
            }
        }

        /// <summary>A field name: everything up to a space or a comparison sign.</summary>
        public string ReadName() => ReadWhile(c => !char.IsWhiteSpace(c) && c is not ('=' or '!' or '<' or '>' or '\'' or '"'));

        public string ReadWord() => ReadWhile(c => !char.IsWhiteSpace(c));

        public RunFilterOperator? ReadOperator()
        {
            foreach (var (symbol, op) in Operators)
            {
                if (string.CompareOrdinal(text, Position, symbol, 0, symbol.Length) == 0)
                {
                    Position += symbol.Length;
                    return op;
                }
            }

            return null;
        }

        public string? ReadValue()
        {
            if (AtEnd)
            {
                return null;
            }

            var quote = text[Position];
            if (quote is '=' or '!' or '<' or '>')
            {
                // "lr >> 1": a second comparison sign is a typo, not a value.
                return null;
            }

            if (quote is not ('\'' or '"'))
            {
                var word = ReadWhile(c => !char.IsWhiteSpace(c));
                return word.Length == 0 ? null : word;
            }

            var start = Position;
            var end = text.IndexOf(quote, Position + 1);
            if (end < 0)
            {
                throw Error($"the quote opened here is never closed", start);
            }

            Position = end + 1;
            return text[(start + 1)..end];
        }

        private string ReadWhile(Func<char, bool> accept)
        {
            var start = Position;
            while (!AtEnd && accept(text[Position]))
            {
                Position++;
            }

            return text[start..Position];
        }

        // Two-character signs first, so "<=" is not read as "<".
        private static readonly (string Symbol, RunFilterOperator Operator)[] Operators =
        [
            ("==", RunFilterOperator.Equal),
            ("!=", RunFilterOperator.NotEqual),
            ("<=", RunFilterOperator.LessOrEqual),
            (">=", RunFilterOperator.GreaterOrEqual),
            ("=", RunFilterOperator.Equal),
            ("<", RunFilterOperator.Less),
            (">", RunFilterOperator.Greater),
        ];
    }
}
