namespace ArtifactPortal.Core.Common;

/// <summary>The outcome of a use case: a value, or the field errors a person must fix.</summary>
public sealed class Result<T>
{
    internal Result(T? value, IReadOnlyDictionary<string, string> errors)
    {
        Value = value;
        Errors = errors;
    }

    public T? Value { get; }

    /// <summary>Field name → message; empty on success.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; }

    public bool Succeeded => Errors.Count == 0;

    /// <summary>All messages in one sentence, for a snackbar or a command-line error.</summary>
    public string ErrorMessage => string.Join(" ", Errors.Values);
}

public static class Result
{
    public static Result<T> Success<T>(T value) => new(value, new Dictionary<string, string>());

    public static Result<T> Invalid<T>(IReadOnlyDictionary<string, string> errors) =>
        errors.Count == 0 ? throw new ArgumentException("A failure needs at least one error.", nameof(errors)) : new(default, errors);

    public static Result<T> Invalid<T>(string field, string message) => Invalid<T>(new Dictionary<string, string> { [field] = message });
}
