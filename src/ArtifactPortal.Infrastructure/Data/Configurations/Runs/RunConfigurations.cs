using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactPortal.Infrastructure.Data.Configurations.Runs;

public sealed class ExperimentConfiguration : IEntityTypeConfiguration<Experiment>
{
    public void Configure(EntityTypeBuilder<Experiment> builder)
    {
        builder.Property(e => e.Name).HasMaxLength(RunLimits.MaxNameLength);
        builder.Property(e => e.NormalizedName).HasMaxLength(RunLimits.MaxNameLength);
        builder.Property(e => e.Description).HasMaxLength(RunLimits.MaxNotesLength);
        builder.Property(e => e.CreatedByUserId).HasMaxLength(450);
        builder.HasIndex(e => new { e.ProjectId, e.NormalizedName }).IsUnique();
        builder.HasOne<Project>().WithMany().HasForeignKey(e => e.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class RunConfiguration : IEntityTypeConfiguration<Run>
{
    public void Configure(EntityTypeBuilder<Run> builder)
    {
        builder.HasIndex(r => new { r.ProjectId, r.Number }).IsUnique();
        builder.HasIndex(r => new { r.ExperimentId, r.StartedAt });
        // The heartbeat sweep looks for running runs that went quiet.
        builder.HasIndex(r => new { r.Status, r.LastHeartbeatAt });
        builder.Property(r => r.Name).HasMaxLength(RunLimits.MaxNameLength);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.CreatedByUserId).HasMaxLength(450);
        builder.Property(r => r.Notes).HasMaxLength(RunLimits.MaxNotesLength);
        builder.Property(r => r.SourceCommit).HasMaxLength(RunLimits.MaxSourceLength);
        builder.Property(r => r.SourceEntryPoint).HasMaxLength(RunLimits.MaxSourceLength);
        builder.Property(r => r.SourceHost).HasMaxLength(RunLimits.MaxSourceLength);
        builder.Property(r => r.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasOne<Project>().WithMany().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Cascade);
        // Restrict: an experiment with runs is not deleted by accident (the project's cascade removes both).
        builder.HasOne<Experiment>().WithMany().HasForeignKey(r => r.ExperimentId).OnDelete(DeleteBehavior.NoAction);
        builder.HasMany(r => r.Params).WithOne().HasForeignKey(p => p.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(r => r.Tags).WithOne().HasForeignKey(t => t.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class RunParamConfiguration : IEntityTypeConfiguration<RunParam>
{
    public void Configure(EntityTypeBuilder<RunParam> builder)
    {
        builder.HasKey(p => new { p.RunId, p.Key });
        builder.Property(p => p.Key).HasMaxLength(RunLimits.MaxKeyLength);
        builder.Property(p => p.Value).HasMaxLength(RunLimits.MaxParamValueLength);
    }
}

public sealed class RunTagConfiguration : IEntityTypeConfiguration<RunTag>
{
    public void Configure(EntityTypeBuilder<RunTag> builder)
    {
        builder.HasKey(t => new { t.RunId, t.Name });
        builder.Property(t => t.Name).HasMaxLength(RunLimits.MaxTagLength);
    }
}

public sealed class RunInputConfiguration : IEntityTypeConfiguration<RunInput>
{
    public void Configure(EntityTypeBuilder<RunInput> builder)
    {
        builder.HasKey(i => new { i.RunId, i.VersionId });
        // Lineage walks downstream from a version to the runs that read it.
        builder.HasIndex(i => i.VersionId);
        builder.HasOne<Run>().WithMany().HasForeignKey(i => i.RunId).OnDelete(DeleteBehavior.Cascade);
        // NoAction: SQL Server refuses two cascade paths from Project; versions are soft-deleted anyway.
        builder.HasOne<ArtifactVersion>().WithMany().HasForeignKey(i => i.VersionId).OnDelete(DeleteBehavior.NoAction);
    }
}

public sealed class MetricSeriesConfiguration : IEntityTypeConfiguration<MetricSeries>
{
    public void Configure(EntityTypeBuilder<MetricSeries> builder)
    {
        builder.Property(s => s.Id).ValueGeneratedOnAdd();
        builder.HasIndex(s => new { s.RunId, s.Key }).IsUnique();
        builder.Property(s => s.Key).HasMaxLength(RunLimits.MaxKeyLength);
        builder.HasOne<Run>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class MetricPointConfiguration : IEntityTypeConfiguration<MetricPoint>
{
    public void Configure(EntityTypeBuilder<MetricPoint> builder)
    {
        builder.HasKey(p => new { p.SeriesId, p.Index });
        builder.Property(p => p.Index).ValueGeneratedNever();
        // Charts query a step range of one series.
        builder.HasIndex(p => new { p.SeriesId, p.Step });
        builder.HasOne<MetricSeries>().WithMany().HasForeignKey(p => p.SeriesId).OnDelete(DeleteBehavior.Cascade);
    }
}
