using System.Net.Mail;
using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Projects;

/// <summary>The invite link, shown to the inviter once: only its hash is stored.</summary>
public sealed record CreatedInvitation(Guid Id, Uri Link, ProjectRole Role, string? Email, bool Emailed, DateTimeOffset ExpiresAt);

public sealed record InvitationListItem(Guid Id, string? Email, ProjectRole Role, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>What the invite page shows for a link that still works, or that the caller has just used.</summary>
public sealed record InvitationPreview(string ProjectName, string ProjectSlug, ProjectRole Role, string InvitedBy, DateTimeOffset ExpiresAt, bool AcceptedByCaller);

/// <summary>Accepting made the person a member; <see cref="Role"/> is their direct role now (a higher one they had stays).</summary>
public sealed record InvitationAcceptance(string ProjectSlug, string ProjectName, ProjectRole Role);

/// <summary>Invite links for people who may not have an account yet: 256-bit token, stored hashed, 7 days, one use, revocable.</summary>
public sealed class InvitationService(
    IPortalDbContextFactory dbFactory,
    ProjectAccessService projectAccess,
    IUserDirectory users,
    IInvitationMailer mailer,
    AuditLog audit,
    TimeProvider time)
{
    /// <summary>Base-relative path of the invite page; the token follows it.</summary>
    public const string PathPrefix = "invite/";
    public const string EmailField = "Email";
    public const string TokenField = "Token";
    public const string NoLongerValidMessage = "This invitation is no longer valid.";

    /// <summary>The token in a local return URL such as "/invite/abc", or null when the URL is no invite link.</summary>
    public static string? TokenFromReturnUrl(string? returnUrl)
    {
        var path = (returnUrl ?? "").Split('?', '#')[0].TrimStart('/');
        if (!path.StartsWith(PathPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var token = path[PathPrefix.Length..];
        return LinkSecret.IsWellFormed(token) ? token : null;
    }

    /// <param name="baseUri">The portal's address, for the absolute link.</param>
    public async Task<Result<CreatedInvitation>> CreateAsync(
        ClaimsPrincipal user, string slug, ProjectRole role, string? email, Uri baseUri, CancellationToken cancellationToken = default)
    {
        ProjectMembership.DemandDefined(role);
        var access = await projectAccess.DemandAsync(user, slug, ProjectOperation.ManageMembers, cancellationToken).ConfigureAwait(false);
        ProjectMembership.DemandRoleChange(access, null, role);
        email = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        if (email is not null && (email.Length > 256 || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email))
        {
            return Result.Invalid<CreatedInvitation>(EmailField, "Enter one email address, like name@example.com, or leave it empty.");
        }

        var now = time.GetUtcNow();
        var (token, hash) = LinkSecret.Create();
        var invitation = new ProjectInvitation
        {
            Id = Guid.CreateVersion7(now),
            ProjectId = access.ProjectId,
            Email = email,
            Role = role,
            TokenHash = hash,
            CreatedByUserId = user.UserId()!,
            CreatedAt = now,
            ExpiresAt = now + ProjectInvitation.Lifetime,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            db.ProjectInvitations.Add(invitation);
            audit.Record(db, user, AuditActions.InvitationCreated, access.ProjectId, email ?? "invite link",
                $"role {role}; expires {invitation.ExpiresAt:yyyy-MM-dd HH:mm} UTC");
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        var link = new Uri(baseUri, PathPrefix + token);
        var emailed = email is not null && await mailer.SendAsync(
            new InvitationEmail(email, user.UserName(), access.Name, role, link, invitation.ExpiresAt), cancellationToken).ConfigureAwait(false);
        return Result.Success(new CreatedInvitation(invitation.Id, link, role, email, emailed, invitation.ExpiresAt));
    }

    /// <summary>Invitations that can still be accepted, newest first.</summary>
    public async Task<IReadOnlyList<InvitationListItem>> ListOpenAsync(ClaimsPrincipal user, string slug, CancellationToken cancellationToken = default)
    {
        var access = await projectAccess.DemandAsync(user, slug, ProjectOperation.ManageMembers, cancellationToken).ConfigureAwait(false);
        return await ListOpenAsync(access, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The open invitations for a caller whose access the page already looked up.</summary>
    public async Task<IReadOnlyList<InvitationListItem>> ListOpenAsync(ProjectAccess access, CancellationToken cancellationToken = default)
    {
        access.Demand(ProjectOperation.ManageMembers);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var open = await db.ProjectInvitations.AsNoTracking()
            .Where(i => i.ProjectId == access.ProjectId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .OrderByDescending(i => i.CreatedAt)
            .Select(i => new { i.Id, i.Email, i.Role, i.CreatedByUserId, i.CreatedAt, i.ExpiresAt })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var inviters = await users.GetAsync([.. open.Select(i => i.CreatedByUserId).Distinct()], cancellationToken).ConfigureAwait(false);
        return
        [
            .. open.Select(i => new InvitationListItem(
                i.Id, i.Email, i.Role, inviters.TryGetValue(i.CreatedByUserId, out var by) ? by.UserName : "a former user", i.CreatedAt, i.ExpiresAt)),
        ];
    }

    public async Task<Result<bool>> RevokeAsync(ClaimsPrincipal user, string slug, Guid invitationId, CancellationToken cancellationToken = default)
    {
        var access = await projectAccess.DemandAsync(user, slug, ProjectOperation.ManageMembers, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var invitation = await db.ProjectInvitations
            .FirstOrDefaultAsync(i => i.Id == invitationId && i.ProjectId == access.ProjectId, cancellationToken).ConfigureAwait(false);
        if (invitation is null || invitation.RevokedAt is not null)
        {
            return Result.Success(true);
        }

        if (invitation.AcceptedAt is not null)
        {
            return Result.Invalid<bool>(TokenField, "That invitation was already accepted; remove the member instead.");
        }

        ProjectMembership.DemandRoleChange(access, invitation.Role, null);
        invitation.RevokedAt = time.GetUtcNow();
        audit.Record(db, user, AuditActions.InvitationRevoked, access.ProjectId, invitation.Email ?? "invite link", $"role {invitation.Role}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success(true);
    }

    /// <summary>
    /// The invitation behind a link, or null when it is unknown, expired, revoked or used (by someone else): every one
    /// of those reads the same, so a link reveals nothing once it stops working.
    /// </summary>
    public async Task<InvitationPreview?> FindAsync(ClaimsPrincipal? user, string token, CancellationToken cancellationToken = default)
    {
        if (!LinkSecret.IsWellFormed(token))
        {
            return null;
        }

        var hash = LinkSecret.Hash(token);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var found = await db.ProjectInvitations.AsNoTracking()
            .Where(i => i.TokenHash == hash && i.RevokedAt == null)
            .Join(db.Projects, i => i.ProjectId, p => p.Id, (i, p) => new
            {
                p.Name,
                p.Slug,
                i.Role,
                i.CreatedByUserId,
                i.ExpiresAt,
                i.AcceptedAt,
                i.AcceptedByUserId,
            })
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        var userId = user?.UserId();
        var acceptedByCaller = found?.AcceptedAt is not null && userId is not null && found.AcceptedByUserId == userId;
        if (found is null || (!acceptedByCaller && (found.AcceptedAt is not null || found.ExpiresAt <= time.GetUtcNow())))
        {
            return null;
        }

        var inviter = await users.GetAsync([found.CreatedByUserId], cancellationToken).ConfigureAwait(false);
        return new InvitationPreview(
            found.Name, found.Slug, found.Role, inviter.TryGetValue(found.CreatedByUserId, out var by) ? by.UserName : "a former member",
            found.ExpiresAt, acceptedByCaller);
    }

    /// <summary>True when the link can still be accepted: lets a person register on an invite-only site.</summary>
    public async Task<bool> IsOpenAsync(string token, CancellationToken cancellationToken = default) =>
        await FindAsync(null, token, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Uses up the invitation and makes the caller a member with its role (keeping a higher role they already have).</summary>
    public async Task<Result<InvitationAcceptance>> AcceptAsync(ClaimsPrincipal user, string token, CancellationToken cancellationToken = default)
    {
        var userId = user.UserId() ?? throw new PortalAccessDeniedException("Sign in to accept an invitation.");
        if (!LinkSecret.IsWellFormed(token))
        {
            return Result.Invalid<InvitationAcceptance>(TokenField, NoLongerValidMessage);
        }

        var hash = LinkSecret.Hash(token);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var invitation = await db.ProjectInvitations.AsNoTracking()
            .Where(i => i.TokenHash == hash)
            .Join(db.Projects, i => i.ProjectId, p => p.Id, (i, p) => new { i.Id, i.ProjectId, i.Role, i.Email, p.Slug, p.Name })
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        if (invitation is null)
        {
            return Result.Invalid<InvitationAcceptance>(TokenField, NoLongerValidMessage);
        }

        await using var transaction = await ProjectMembership.BeginChangeAsync(db, invitation.ProjectId, now, cancellationToken).ConfigureAwait(false);
        // One use even when two people click at the same moment: only one conditional update can match.
        var claimed = await db.ProjectInvitations
            .Where(i => i.Id == invitation.Id && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedAt, now).SetProperty(i => i.AcceptedByUserId, userId), cancellationToken)
            .ConfigureAwait(false);
        if (claimed == 0)
        {
            return Result.Invalid<InvitationAcceptance>(TokenField, NoLongerValidMessage);
        }

        var (before, after) = await ProjectMembership.GrantAsync(db, invitation.ProjectId, userId, invitation.Role, now, cancellationToken).ConfigureAwait(false);
        audit.Record(db, user, AuditActions.InvitationAccepted, invitation.ProjectId, user.UserName(),
            before is null ? $"role {after}" : before == after ? $"role {after} kept (invited as {invitation.Role})" : $"role {before} → {after}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success(new InvitationAcceptance(invitation.Slug, invitation.Name, after));
    }
}
