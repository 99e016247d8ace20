namespace ArtifactPortal.Infrastructure.Data;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    Postgres,
}

public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations when the portal starts; operators who migrate separately turn it off.</summary>
    public bool MigrateOnStart { get; set; } = true;
}
