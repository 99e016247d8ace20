using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Projects;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Runs;

/// <summary>Named groups of runs in a project. Viewers list them, Editors create them.</summary>
public sealed class ExperimentService(IPortalDbContextFactory dbFactory, ProjectAccessService projects, AuditLog audit, TimeProvider time)
{
    /// <summary>Where runs go when the client names no experiment.</summary>
    public const string DefaultName = "Default";

    public async Task<ExperimentSummary> CreateAsync(ClaimsPrincipal user, string slug, NewExperiment request, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.LogRuns, cancellationToken).ConfigureAwait(false);
        var name = ValidName(request.Name);
        var description = request.Description?.Trim();
        RunValidation.Demand(description, RunLimits.MaxNotesLength, "description");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var normalized = Normalize(name);
        if (await db.Experiments.AnyAsync(e => e.ProjectId == access.ProjectId && e.NormalizedName == normalized, cancellationToken).ConfigureAwait(false))
        {
            throw new PortalConflictException($"{access.Name} already has an experiment named '{name}'.");
        }

        var experiment = New(access.ProjectId, name, description, user, time.GetUtcNow());
        db.Experiments.Add(experiment);
        audit.Record(db, user, AuditActions.ExperimentCreated, access.ProjectId, name);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // The unique index decided a race with another request creating the same name.
            throw new PortalConflictException($"{access.Name} already has an experiment named '{name}'.");
        }

        return new ExperimentSummary(experiment.Id, experiment.Name, experiment.Description, 0, experiment.CreatedAt);
    }

    /// <summary>The project's experiments by name, with how many runs each holds.</summary>
    public async Task<IReadOnlyList<ExperimentSummary>> ListAsync(ClaimsPrincipal user, string slug, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        return await ListAsync(access, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The experiments for a caller whose access the page already looked up.</summary>
    public async Task<IReadOnlyList<ExperimentSummary>> ListAsync(ProjectAccess access, CancellationToken cancellationToken = default)
    {
        access.Demand(ProjectOperation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Experiments.AsNoTracking()
            .Where(e => e.ProjectId == access.ProjectId)
            .OrderBy(e => e.NormalizedName)
            .Select(e => new ExperimentSummary(e.Id, e.Name, e.Description, db.Runs.Count(r => r.ExperimentId == e.Id), e.CreatedAt))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    internal static string ValidName(string? name)
    {
        name = name?.Trim() ?? "";
        if (name.Length == 0)
        {
            throw new PortalRequestException("An experiment needs a name.");
        }

        RunValidation.Demand(name, RunLimits.MaxNameLength, "experiment name");
        return name;
    }

    internal static string Normalize(string name) => name.ToUpperInvariant();

    /// <summary>The experiment named <paramref name="name"/>, added to <paramref name="db"/> when the project has none yet.</summary>
    internal static async Task<Experiment> FindOrAddAsync(
        IPortalDbContext db, Guid projectId, string name, ClaimsPrincipal user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var normalized = Normalize(name);
        var existing = await db.Experiments.FirstOrDefaultAsync(e => e.ProjectId == projectId && e.NormalizedName == normalized, cancellationToken)
            .ConfigureAwait(false);
        if (existing is not null)
        {
            return existing;
        }

        var experiment = New(projectId, name, null, user, now);
        db.Experiments.Add(experiment);
        return experiment;
    }

    private static Experiment New(Guid projectId, string name, string? description, ClaimsPrincipal user, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        ProjectId = projectId,
        Name = name,
        NormalizedName = Normalize(name),
        Description = string.IsNullOrEmpty(description) ? null : description,
        CreatedAt = now,
        CreatedByUserId = user.UserId()!,
    };
}
