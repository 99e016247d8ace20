using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Projects;

public sealed class ProjectService(IPortalDbContextFactory dbFactory, TimeProvider time)
{
    public const int MaxNameLength = 100;

    /// <summary>Projects the user is a member of, most recently active first.</summary>
    public async Task<IReadOnlyList<ProjectSummary>> ListMineAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var projects = await db.ProjectMembers
            .Where(m => m.UserId == userId)
            .Join(db.Projects, m => m.ProjectId, p => p.Id, (m, p) => new { Member = m, Project = p })
            .OrderByDescending(x => x.Project.LastActivityAt)
            .Select(x => new ProjectSummary(
                x.Project.Id, x.Project.Name, x.Project.Slug, x.Project.Description, x.Project.Visibility,
                x.Member.Role, x.Project.Members.Count, x.Project.LastActivityAt))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return projects;
    }

    /// <summary>Creates a project with the creator as its first Owner.</summary>
    public async Task<Result<ProjectSummary>> CreateAsync(string userId, NewProject request, CancellationToken cancellationToken = default)
    {
        var name = request.Name.Trim();
        var slug = request.Slug.Trim();
        var errors = new Dictionary<string, string>();
        if (name.Length == 0)
        {
            errors[nameof(NewProject.Name)] = "Give the project a name.";
        }
        else if (name.Length > MaxNameLength)
        {
            errors[nameof(NewProject.Name)] = $"The name can be at most {MaxNameLength} characters.";
        }

        if (!ProjectSlug.IsValid(slug))
        {
            errors[nameof(NewProject.Slug)] = "Use 2–64 lowercase letters, digits and single hyphens, e.g. fraud-detection.";
        }

        if (errors.Count > 0)
        {
            return Result.Invalid<ProjectSummary>(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await db.Projects.AnyAsync(p => p.Slug == slug, cancellationToken).ConfigureAwait(false))
        {
            return Result.Invalid<ProjectSummary>(nameof(NewProject.Slug), $"The URL name \"{slug}\" is taken; choose another.");
        }

        var now = time.GetUtcNow();
        var project = new Project
        {
            Id = Guid.CreateVersion7(now),
            Name = name,
            Slug = slug,
            Description = request.Description.Trim(),
            Visibility = request.Visibility,
            CreatedAt = now,
            LastActivityAt = now,
        };
        project.Members.Add(new ProjectMember { UserId = userId, Role = ProjectRole.Owner, AddedAt = now });
        db.Projects.Add(project);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Two people chose the same slug at the same moment; the unique index let only one through.
            if (await SlugTakenAsync(dbFactory, slug, cancellationToken).ConfigureAwait(false))
            {
                return Result.Invalid<ProjectSummary>(nameof(NewProject.Slug), $"The URL name \"{slug}\" is taken; choose another.");
            }

            throw;
        }

        return Result.Success(new ProjectSummary(
            project.Id, project.Name, project.Slug, project.Description, project.Visibility, ProjectRole.Owner, 1, now));
    }

    private static async Task<bool> SlugTakenAsync(IPortalDbContextFactory dbFactory, string slug, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Projects.AnyAsync(p => p.Slug == slug, cancellationToken).ConfigureAwait(false);
    }
}
