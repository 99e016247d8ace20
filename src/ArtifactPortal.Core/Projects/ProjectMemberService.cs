using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Projects;

/// <summary>
/// Who is in a project and with which role: people added directly and site-wide teams. Every method checks the caller
/// against <see cref="ProjectPermissions"/> and writes an audit entry in the same transaction as the change.
/// </summary>
public sealed class ProjectMemberService(
    IPortalDbContextFactory dbFactory,
    ProjectAccessService projectAccess,
    IUserDirectory users,
    AuditLog audit,
    TimeProvider time)
{
    public const string MemberField = "Member";
    public const string TeamField = "Team";

    /// <summary>Members and teams, highest role first; <paramref name="search"/> matches names, emails and team descriptions.</summary>
    public async Task<ProjectPeople> ListAsync(ClaimsPrincipal user, string slug, string? search = null, CancellationToken cancellationToken = default)
    {
        var access = await projectAccess.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        return await ListAsync(user, access, search, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The people for a caller whose access the page already looked up.</summary>
    public async Task<ProjectPeople> ListAsync(ClaimsPrincipal user, ProjectAccess access, string? search = null, CancellationToken cancellationToken = default)
    {
        access.Demand(ProjectOperation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var members = await db.ProjectMembers.AsNoTracking()
            .Where(m => m.ProjectId == access.ProjectId)
            .Select(m => new { m.UserId, m.Role, m.AddedAt })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var callerId = user.UserId();
        var teams = await db.ProjectTeams.AsNoTracking()
            .Where(t => t.ProjectId == access.ProjectId)
            .Join(db.Teams, pt => pt.TeamId, t => t.Id, (pt, t) => new ProjectTeamListItem(
                t.Id, t.Name, t.Description, t.Members.Count, pt.Role, pt.AddedAt, t.Members.Any(m => m.UserId == callerId)))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var people = await users.GetAsync([.. members.Select(m => m.UserId)], cancellationToken).ConfigureAwait(false);

        var term = search?.Trim() ?? "";
        bool Matches(params string[] texts) => term.Length == 0 || texts.Any(t => t.Contains(term, StringComparison.OrdinalIgnoreCase));
        return new ProjectPeople(
            [.. members
                .Where(m => people.ContainsKey(m.UserId))
                .Select(m => new ProjectMemberListItem(m.UserId, people[m.UserId].UserName, people[m.UserId].Email, m.Role, m.AddedAt))
                .Where(m => Matches(m.UserName, m.Email))
                .OrderByDescending(m => m.Role).ThenBy(m => m.UserName, StringComparer.OrdinalIgnoreCase)],
            [.. teams
                .Where(t => Matches(t.Name, t.Description))
                .OrderByDescending(t => t.Role).ThenBy(t => t.Name, StringComparer.Ordinal)]);
    }

    /// <summary>Adds an existing account, found by exact user name or email.</summary>
    public async Task<Result<ProjectMemberListItem>> AddAsync(
        ClaimsPrincipal user, string slug, string userNameOrEmail, ProjectRole role, CancellationToken cancellationToken = default)
    {
        ProjectMembership.DemandDefined(role);
        var access = await projectAccess.DemandAsync(user, slug, ProjectOperation.ManageMembers, cancellationToken).ConfigureAwait(false);
        ProjectMembership.DemandRoleChange(access, null, role);
        var wanted = userNameOrEmail.Trim();
        if (wanted.Length == 0)
        {
            return Result.Invalid<ProjectMemberListItem>(MemberField, "Enter a user name or email.");
        }

        var person = await users.FindByUserNameOrEmailAsync(wanted, cancellationToken).ConfigureAwait(false);
        if (person is null)
        {
            return Result.Invalid<ProjectMemberListItem>(MemberField,
                $"Nobody has the user name or email “{wanted}”. People without an account can join through an invite link.");
        }

        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await ProjectMembership.BeginChangeAsync(db, access.ProjectId, now, cancellationToken).ConfigureAwait(false);
        var existing = await db.ProjectMembers.AsNoTracking()
            .Where(m => m.ProjectId == access.ProjectId && m.UserId == person.Id)
            .Select(m => (ProjectRole?)m.Role)
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        if (existing is { } current)
        {
            return Result.Invalid<ProjectMemberListItem>(MemberField,
                $"{person.UserName} is already a member ({current}); change their role in the list instead.");
        }

        db.ProjectMembers.Add(new ProjectMember { ProjectId = access.ProjectId, UserId = person.Id, Role = role, AddedAt = now });
        audit.Record(db, user, AuditActions.MemberAdded, access.ProjectId, person.UserName, $"role {role}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success(new ProjectMemberListItem(person.Id, person.UserName, person.Email, role, now));
    }

    public async Task<Result<ProjectRole>> ChangeRoleAsync(
        ClaimsPrincipal user, string slug, string userId, ProjectRole role, CancellationToken cancellationToken = default)
    {
        ProjectMembership.DemandDefined(role);
        var access = await projectAccess.DemandAsync(user, slug, ProjectOperation.ManageMembers, cancellationToken).ConfigureAwait(false);
        var name = await NameAsync(userId, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await ProjectMembership.BeginChangeAsync(db, access.ProjectId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var member = await FindMemberAsync(db, access.ProjectId, userId, cancellationToken).ConfigureAwait(false);
        if (member is null)
        {
            return Result.Invalid<ProjectRole>(MemberField, "That person is not a member of the project any more.");
        }

        ProjectMembership.DemandRoleChange(access, member.Role, role);
        if (member.Role == role)
        {
            return Result.Success(role);
        }

        if (member.Role == ProjectRole.Owner && !await ProjectMembership.HasOtherOwnerAsync(db, access.ProjectId, userId, cancellationToken).ConfigureAwait(false))
        {
            return Result.Invalid<ProjectRole>(MemberField, ProjectMembership.LastOwnerMessage);
        }

        var before = member.Role;
        member.Role = role;
        audit.Record(db, user, AuditActions.MemberRoleChanged, access.ProjectId, name, $"role {before} → {role}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success(role);
    }

    public async Task<Result<bool>> RemoveAsync(ClaimsPrincipal user, string slug, string userId, CancellationToken cancellationToken = default)
    {
        var access = await projectAccess.DemandAsync(user, slug, ProjectOperation.ManageMembers, cancellationToken).ConfigureAwait(false);
        var name = await NameAsync(userId, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await ProjectMembership.BeginChangeAsync(db, access.ProjectId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var member = await FindMemberAsync(db, access.ProjectId, userId, cancellationToken).ConfigureAwait(false);
        if (member is null)
        {
            return Result.Success(true);
        }

        ProjectMembership.DemandRoleChange(access, member.Role, null);
        if (member.Role == ProjectRole.Owner && !await ProjectMembership.HasOtherOwnerAsync(db, access.ProjectId, userId, cancellationToken).ConfigureAwait(false))
        {
            return Result.Invalid<bool>(MemberField, ProjectMembership.LastOwnerMessage);
        }

        db.ProjectMembers.Remove(member);
        audit.Record(db, user, AuditActions.MemberRemoved, access.ProjectId, name, $"role {member.Role}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success(true);
    }

    /// <summary>Makes another direct member an Owner; with <paramref name="stepDown"/> the calling Owner becomes a Maintainer.</summary>
    public async Task<Result<bool>> TransferOwnershipAsync(
        ClaimsPrincipal user, string slug, string newOwnerUserId, bool stepDown, CancellationToken cancellationToken = default)
    {
        var access = await projectAccess.DemandAsync(user, slug, ProjectOperation.TransferOwnership, cancellationToken).ConfigureAwait(false);
        var callerId = user.UserId();
        if (newOwnerUserId == callerId)
        {
            return Result.Invalid<bool>(MemberField, "Choose another member to hand the project to.");
        }

        var name = await NameAsync(newOwnerUserId, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await ProjectMembership.BeginChangeAsync(db, access.ProjectId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var newOwner = await FindMemberAsync(db, access.ProjectId, newOwnerUserId, cancellationToken).ConfigureAwait(false);
        if (newOwner is null)
        {
            return Result.Invalid<bool>(MemberField, "Add the person as a member first, then hand the project over.");
        }

        var details = newOwner.Role == ProjectRole.Owner ? "already Owner" : $"{newOwner.Role} → Owner";
        newOwner.Role = ProjectRole.Owner;
        // A site administrator who is no direct Owner has nothing to step down from.
        var caller = callerId is null ? null : await FindMemberAsync(db, access.ProjectId, callerId, cancellationToken).ConfigureAwait(false);
        if (stepDown && caller is { Role: ProjectRole.Owner })
        {
            caller.Role = ProjectRole.Maintainer;
            details += $"; {user.UserName()} stepped down to Maintainer";
        }

        audit.Record(db, user, AuditActions.OwnershipTransferred, access.ProjectId, name, details);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success(true);
    }

    /// <summary>Adds a site-wide team: each of its members gets at least <paramref name="role"/>.</summary>
    public async Task<Result<bool>> AddTeamAsync(
        ClaimsPrincipal user, string slug, Guid teamId, ProjectRole role, CancellationToken cancellationToken = default)
    {
        ProjectMembership.DemandDefined(role);
        var access = await projectAccess.DemandAsync(user, slug, ProjectOperation.ManageMembers, cancellationToken).ConfigureAwait(false);
        ProjectMembership.DemandRoleChange(access, null, role);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await ProjectMembership.BeginChangeAsync(db, access.ProjectId, now, cancellationToken).ConfigureAwait(false);
        var team = await db.Teams.AsNoTracking().Where(t => t.Id == teamId).Select(t => t.Name).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (team is null)
        {
            return Result.Invalid<bool>(TeamField, "That team no longer exists.");
        }

        if (await db.ProjectTeams.AnyAsync(t => t.ProjectId == access.ProjectId && t.TeamId == teamId, cancellationToken).ConfigureAwait(false))
        {
            return Result.Invalid<bool>(TeamField, $"The team {team} is already in the project; change its role in the list instead.");
        }

        db.ProjectTeams.Add(new ProjectTeam { ProjectId = access.ProjectId, TeamId = teamId, Role = role, AddedAt = now });
        audit.Record(db, user, AuditActions.TeamAdded, access.ProjectId, team, $"role {role}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success(true);
    }

    public async Task<Result<bool>> ChangeTeamRoleAsync(
        ClaimsPrincipal user, string slug, Guid teamId, ProjectRole role, CancellationToken cancellationToken = default)
    {
        ProjectMembership.DemandDefined(role);
        var access = await projectAccess.DemandAsync(user, slug, ProjectOperation.ManageMembers, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await ProjectMembership.BeginChangeAsync(db, access.ProjectId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var projectTeam = await db.ProjectTeams
            .FirstOrDefaultAsync(t => t.ProjectId == access.ProjectId && t.TeamId == teamId, cancellationToken).ConfigureAwait(false);
        if (projectTeam is null)
        {
            return Result.Invalid<bool>(TeamField, "That team is not in the project any more.");
        }

        ProjectMembership.DemandRoleChange(access, projectTeam.Role, role);
        if (projectTeam.Role == role)
        {
            return Result.Success(true);
        }

        var before = projectTeam.Role;
        projectTeam.Role = role;
        audit.Record(db, user, AuditActions.TeamRoleChanged, access.ProjectId, await TeamNameAsync(db, teamId, cancellationToken).ConfigureAwait(false),
            $"role {before} → {role}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success(true);
    }

    public async Task<Result<bool>> RemoveTeamAsync(ClaimsPrincipal user, string slug, Guid teamId, CancellationToken cancellationToken = default)
    {
        var access = await projectAccess.DemandAsync(user, slug, ProjectOperation.ManageMembers, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await ProjectMembership.BeginChangeAsync(db, access.ProjectId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var projectTeam = await db.ProjectTeams
            .FirstOrDefaultAsync(t => t.ProjectId == access.ProjectId && t.TeamId == teamId, cancellationToken).ConfigureAwait(false);
        if (projectTeam is null)
        {
            return Result.Success(true);
        }

        ProjectMembership.DemandRoleChange(access, projectTeam.Role, null);
        db.ProjectTeams.Remove(projectTeam);
        audit.Record(db, user, AuditActions.TeamRemoved, access.ProjectId, await TeamNameAsync(db, teamId, cancellationToken).ConfigureAwait(false),
            $"role {projectTeam.Role}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success(true);
    }

    private static Task<ProjectMember?> FindMemberAsync(IPortalDbContext db, Guid projectId, string userId, CancellationToken cancellationToken) =>
        db.ProjectMembers.FirstOrDefaultAsync(m => m.ProjectId == projectId && m.UserId == userId, cancellationToken);

    private static async Task<string> TeamNameAsync(IPortalDbContext db, Guid teamId, CancellationToken cancellationToken) =>
        await db.Teams.Where(t => t.Id == teamId).Select(t => t.Name).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? teamId.ToString();

    // Read before a change's transaction starts: the directory uses a connection of its own.
    private async Task<string> NameAsync(string userId, CancellationToken cancellationToken)
    {
        var found = await users.GetAsync([userId], cancellationToken).ConfigureAwait(false);
        return found.TryGetValue(userId, out var person) ? person.UserName : userId;
    }
}
