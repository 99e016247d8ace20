namespace ArtifactPortal.Core.Accounts;

/// <summary>What a personal access token may do; the owner's project roles still apply on top.</summary>
[Flags]
public enum TokenScopes
{
    None = 0,

    /// <summary>Read operations (view projects, artifacts, audit logs the owner may read).</summary>
    Read = 1,

    /// <summary>Every operation that changes something; implies <see cref="Read"/>.</summary>
    Write = 2,
}

public static class TokenScopeNames
{
    public const string Read = "read";
    public const string Write = "write";

    /// <summary>"read", "write" or both, in a fixed order.</summary>
    public static IReadOnlyList<string> Of(TokenScopes scopes) =>
        [.. new[] { (TokenScopes.Read, Read), (TokenScopes.Write, Write) }.Where(s => scopes.HasFlag(s.Item1)).Select(s => s.Item2)];

    /// <summary>Parses a comma-separated list such as "read,write"; false on an empty list or an unknown name.</summary>
    public static bool TryParse(string? text, out TokenScopes scopes)
    {
        scopes = TokenScopes.None;
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (part.ToLowerInvariant())
            {
                case Read:
                    scopes |= TokenScopes.Read;
                    break;
                case Write:
                    scopes |= TokenScopes.Write;
                    break;
                default:
                    scopes = TokenScopes.None;
                    return false;
            }
        }

        return scopes != TokenScopes.None;
    }
}
