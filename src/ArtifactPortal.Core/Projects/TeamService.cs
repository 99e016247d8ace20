using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Projects;

public sealed record TeamListItem(Guid Id, string Name, string Description, int MemberCount, int ProjectCount, DateTimeOffset CreatedAt);

public sealed record TeamMemberListItem(string UserId, string UserName, string Email, DateTimeOffset AddedAt);

/// <summary>
/// Site-wide teams, managed by site administrators. Changes to a team's people also go into the audit log of every
/// project the team belongs to, since they change who can open those projects.
/// </summary>
public sealed class TeamService(
    IPortalDbContextFactory dbFactory,
    IAuthorizationService authorization,
    IUserDirectory users,
    AuditLog audit,
    TimeProvider time)
{
    public const int MaxDescriptionLength = 2000;
    public const string NameField = "Name";
    public const string DescriptionField = "Description";
    public const string MemberField = "Member";

    public async Task<IReadOnlyList<TeamListItem>> ListAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        await DemandAdministratorAsync(user).ConfigureAwait(false);
        return await ListTeamsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every team, for the people who add teams to their projects: team names are not secret.</summary>
    public async Task<IReadOnlyList<TeamListItem>> ListForProjectsAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        if (user.UserId() is null)
        {
            throw new PortalAccessDeniedException("Sign in to see teams.");
        }

        return await ListTeamsAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<Result<TeamListItem>> CreateAsync(ClaimsPrincipal user, string name, string description, CancellationToken cancellationToken = default)
    {
        await DemandAdministratorAsync(user).ConfigureAwait(false);
        name = name.Trim();
        description = description.Trim();
        var errors = new Dictionary<string, string>();
        if (!ProjectSlug.IsValid(name))
        {
            errors[NameField] = $"Use 2–{Team.MaxNameLength} lowercase letters, digits and single hyphens, e.g. vision-team.";
        }

        if (description.Length > MaxDescriptionLength)
        {
            errors[DescriptionField] = $"The description can be at most {MaxDescriptionLength} characters.";
        }

        if (errors.Count > 0)
        {
            return Result.Invalid<TeamListItem>(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await db.Teams.AnyAsync(t => t.Name == name, cancellationToken).ConfigureAwait(false))
        {
            return Result.Invalid<TeamListItem>(NameField, $"There is already a team called {name}.");
        }

        var now = time.GetUtcNow();
        var team = new Team { Id = Guid.CreateVersion7(now), Name = name, Description = description, CreatedAt = now };
        db.Teams.Add(team);
        audit.Record(db, user, AuditActions.TeamCreated, null, name);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Two administrators chose the same name at once; the unique index let one through.
            await using var check = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            if (await check.Teams.AnyAsync(t => t.Name == name, cancellationToken).ConfigureAwait(false))
            {
                return Result.Invalid<TeamListItem>(NameField, $"There is already a team called {name}.");
            }

            throw;
        }

        return Result.Success(new TeamListItem(team.Id, name, description, 0, 0, now));
    }

    /// <summary>Deletes the team; its members lose the roles it gave them in every project.</summary>
    public async Task<Result<bool>> DeleteAsync(ClaimsPrincipal user, Guid teamId, CancellationToken cancellationToken = default)
    {
        await DemandAdministratorAsync(user).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var team = await db.Teams.FirstOrDefaultAsync(t => t.Id == teamId, cancellationToken).ConfigureAwait(false);
        if (team is null)
        {
            return Result.Success(true);
        }

        foreach (var (projectId, role) in await ProjectsOfAsync(db, teamId, cancellationToken).ConfigureAwait(false))
        {
            audit.Record(db, user, AuditActions.TeamRemoved, projectId, team.Name, $"role {role}; the team was deleted");
        }

        db.Teams.Remove(team);
        audit.Record(db, user, AuditActions.TeamDeleted, null, team.Name);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success(true);
    }

    public async Task<IReadOnlyList<TeamMemberListItem>> ListMembersAsync(ClaimsPrincipal user, Guid teamId, CancellationToken cancellationToken = default)
    {
        await DemandAdministratorAsync(user).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var members = await db.TeamMembers.AsNoTracking()
            .Where(m => m.TeamId == teamId)
            .Select(m => new { m.UserId, m.AddedAt })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var people = await users.GetAsync([.. members.Select(m => m.UserId)], cancellationToken).ConfigureAwait(false);
        return
        [
            .. members
                .Where(m => people.ContainsKey(m.UserId))
                .Select(m => new TeamMemberListItem(m.UserId, people[m.UserId].UserName, people[m.UserId].Email, m.AddedAt))
                .OrderBy(m => m.UserName, StringComparer.OrdinalIgnoreCase),
        ];
    }

    public async Task<Result<TeamMemberListItem>> AddMemberAsync(
        ClaimsPrincipal user, Guid teamId, string userNameOrEmail, CancellationToken cancellationToken = default)
    {
        await DemandAdministratorAsync(user).ConfigureAwait(false);
        var wanted = userNameOrEmail.Trim();
        var person = wanted.Length == 0 ? null : await users.FindByUserNameOrEmailAsync(wanted, cancellationToken).ConfigureAwait(false);
        if (person is null)
        {
            return Result.Invalid<TeamMemberListItem>(MemberField, $"Nobody has the user name or email “{wanted}”.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var team = await db.Teams.AsNoTracking().Where(t => t.Id == teamId).Select(t => t.Name).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (team is null)
        {
            return Result.Invalid<TeamMemberListItem>(MemberField, "That team no longer exists.");
        }

        if (await db.TeamMembers.AnyAsync(m => m.TeamId == teamId && m.UserId == person.Id, cancellationToken).ConfigureAwait(false))
        {
            return Result.Invalid<TeamMemberListItem>(MemberField, $"{person.UserName} is already in {team}.");
        }

        var now = time.GetUtcNow();
        db.TeamMembers.Add(new TeamMember { TeamId = teamId, UserId = person.Id, AddedAt = now });
        await RecordEverywhereAsync(db, user, AuditActions.TeamMemberAdded, teamId, team, person.UserName, cancellationToken).ConfigureAwait(false);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success(new TeamMemberListItem(person.Id, person.UserName, person.Email, now));
    }

    public async Task<Result<bool>> RemoveMemberAsync(ClaimsPrincipal user, Guid teamId, string userId, CancellationToken cancellationToken = default)
    {
        await DemandAdministratorAsync(user).ConfigureAwait(false);
        var people = await users.GetAsync([userId], cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var member = await db.TeamMembers.FirstOrDefaultAsync(m => m.TeamId == teamId && m.UserId == userId, cancellationToken).ConfigureAwait(false);
        if (member is null)
        {
            return Result.Success(true);
        }

        var team = await db.Teams.AsNoTracking().Where(t => t.Id == teamId).Select(t => t.Name).FirstAsync(cancellationToken).ConfigureAwait(false);
        db.TeamMembers.Remove(member);
        var name = people.TryGetValue(userId, out var person) ? person.UserName : userId;
        await RecordEverywhereAsync(db, user, AuditActions.TeamMemberRemoved, teamId, team, name, cancellationToken).ConfigureAwait(false);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success(true);
    }

    private async Task<IReadOnlyList<TeamListItem>> ListTeamsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Teams.AsNoTracking()
            .OrderBy(t => t.Name)
            .Select(t => new TeamListItem(
                t.Id, t.Name, t.Description, t.Members.Count, db.ProjectTeams.Count(pt => pt.TeamId == t.Id), t.CreatedAt))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task RecordEverywhereAsync(
        IPortalDbContext db, ClaimsPrincipal user, string action, Guid teamId, string team, string person, CancellationToken cancellationToken)
    {
        audit.Record(db, user, action, null, person, $"team {team}");
        foreach (var (projectId, role) in await ProjectsOfAsync(db, teamId, cancellationToken).ConfigureAwait(false))
        {
            audit.Record(db, user, action, projectId, person, $"team {team} (role {role})");
        }
    }

    private static async Task<List<(Guid ProjectId, ProjectRole Role)>> ProjectsOfAsync(IPortalDbContext db, Guid teamId, CancellationToken cancellationToken)
    {
        var rows = await db.ProjectTeams.AsNoTracking()
            .Where(pt => pt.TeamId == teamId)
            .Select(pt => new { pt.ProjectId, pt.Role })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return [.. rows.Select(r => (r.ProjectId, r.Role))];
    }

    private async Task DemandAdministratorAsync(ClaimsPrincipal user)
    {
        var result = await authorization.AuthorizeAsync(user, PortalPolicies.SiteAdministrator).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new PortalAccessDeniedException("Only site administrators manage teams.");
        }
    }
}
