namespace ArtifactPortal.Core.Runs;

public sealed class RunsOptions
{
    public const string SectionName = "Runs";

    /// <summary>A running run whose client sent nothing for this long is marked killed by the MarkStaleRunsJob.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
