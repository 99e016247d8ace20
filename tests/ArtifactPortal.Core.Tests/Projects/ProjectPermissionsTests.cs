using ArtifactPortal.Core.Projects;

namespace ArtifactPortal.Core.Tests.Projects;

public class ProjectPermissionsTests
{
    [Theory]
    [InlineData(ProjectOperation.View, ProjectRole.Viewer, true)]
    [InlineData(ProjectOperation.UploadArtifacts, ProjectRole.Viewer, false)]
    [InlineData(ProjectOperation.UploadArtifacts, ProjectRole.Editor, true)]
    [InlineData(ProjectOperation.RequestPromotion, ProjectRole.Editor, true)]
    [InlineData(ProjectOperation.ApprovePromotion, ProjectRole.Editor, false)]
    [InlineData(ProjectOperation.ApprovePromotion, ProjectRole.Maintainer, true)]
    [InlineData(ProjectOperation.ManageMembers, ProjectRole.Maintainer, true)]
    [InlineData(ProjectOperation.ManageOwners, ProjectRole.Maintainer, false)]
    [InlineData(ProjectOperation.Delete, ProjectRole.Maintainer, false)]
    [InlineData(ProjectOperation.Delete, ProjectRole.Owner, true)]
    public void IsAllowed_MemberOfPrivateProject_FollowsRoleLadder(ProjectOperation operation, ProjectRole role, bool expected) =>
        Assert.Equal(expected, ProjectPermissions.IsAllowed(operation, role, ProjectVisibility.Private, isArchived: false, isSiteAdministrator: false));

    [Fact]
    public void IsAllowed_OutsiderOfPrivateProject_MayDoNothing() =>
        Assert.All(Enum.GetValues<ProjectOperation>(), operation =>
            Assert.False(ProjectPermissions.IsAllowed(operation, null, ProjectVisibility.Private, isArchived: false, isSiteAdministrator: false)));

    [Fact]
    public void IsAllowed_OutsiderOfInternalProject_MayOnlyView()
    {
        var allowed = Enum.GetValues<ProjectOperation>()
            .Where(o => ProjectPermissions.IsAllowed(o, null, ProjectVisibility.Internal, isArchived: false, isSiteAdministrator: false));
        Assert.Equal([ProjectOperation.View], allowed);
    }

    [Fact]
    public void IsAllowed_SiteAdministrator_MayDoEverythingInAnActiveProject() =>
        Assert.All(Enum.GetValues<ProjectOperation>(), operation =>
            Assert.True(ProjectPermissions.IsAllowed(operation, null, ProjectVisibility.Private, isArchived: false, isSiteAdministrator: true)));

    [Theory]
    [InlineData(ProjectOperation.UploadArtifacts)]
    [InlineData(ProjectOperation.LogRuns)]
    [InlineData(ProjectOperation.ManageMembers)]
    [InlineData(ProjectOperation.EditSettings)]
    public void IsAllowed_ArchivedProject_RefusesChangesEvenToOwnersAndAdministrators(ProjectOperation operation)
    {
        Assert.False(ProjectPermissions.IsAllowed(operation, ProjectRole.Owner, ProjectVisibility.Private, isArchived: true, isSiteAdministrator: false));
        Assert.False(ProjectPermissions.IsAllowed(operation, null, ProjectVisibility.Private, isArchived: true, isSiteAdministrator: true));
    }

    [Fact]
    public void IsAllowed_ArchivedProject_StillViewableAndUnarchivable()
    {
        Assert.True(ProjectPermissions.IsAllowed(ProjectOperation.View, ProjectRole.Viewer, ProjectVisibility.Private, isArchived: true, isSiteAdministrator: false));
        Assert.True(ProjectPermissions.IsAllowed(ProjectOperation.Archive, ProjectRole.Maintainer, ProjectVisibility.Private, isArchived: true, isSiteAdministrator: false));
    }

    [Fact]
    public void Matrix_ListsEveryOperationOnce() =>
        Assert.Equal(Enum.GetValues<ProjectOperation>(), ProjectPermissions.Matrix.Select(row => row.Operation));
}
