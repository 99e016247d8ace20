using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;

namespace ArtifactPortal.IntegrationTests.Projects;

[Collection(PortalCollectionDefinition.Name)]
public sealed class ProjectListTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task ListVisibleAsync_SortByRecentActivity_ListsMostRecentlyActiveFirst(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await PortalUsers.CreateAsync(portal, "sorter");
        var tag = Guid.NewGuid().ToString("N")[..8];
        var alpha = await portal.CreateProjectAsync(owner, $"Alpha {tag}");
        var beta = await portal.CreateProjectAsync(owner, $"Beta {tag}");
        var gamma = await portal.CreateProjectAsync(owner, $"Gamma {tag}");
        var now = DateTimeOffset.UtcNow;
        await portal.ChangeProjectAsync(alpha, p => p.LastActivityAt = now.AddDays(-3));
        await portal.ChangeProjectAsync(beta, p => p.LastActivityAt = now.AddDays(-10));
        await portal.ChangeProjectAsync(gamma, p => p.LastActivityAt = now.AddDays(-5));
        // A change is activity: beta moves to the top.
        Assert.True((await portal.Projects().UpdateSettingsAsync(owner, beta, new ProjectSettings($"Beta {tag}", beta, "Now active.", ProjectVisibility.Private))).Succeeded);

        var byActivity = await portal.Projects().ListVisibleAsync(owner, tag, ProjectSort.RecentActivity);
        var byName = await portal.Projects().ListVisibleAsync(owner, tag, ProjectSort.Name);

        Assert.Equal([beta, alpha, gamma], byActivity.Select(p => p.Slug));
        Assert.Equal([alpha, beta, gamma], byName.Select(p => p.Slug));
        Assert.Equal([beta, alpha, gamma], (await portal.Projects().ListMineAsync(owner.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)!.Value))
            .Where(p => p.Name.EndsWith(tag, StringComparison.Ordinal)).Select(p => p.Slug));
    }

    [Theory, DatabaseProviders]
    public async Task ListVisibleAsync_Outsider_SeesInternalAndTeamProjectsButNoOtherPrivateOnes(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await PortalUsers.CreateAsync(portal, "owner");
        var person = await PortalUsers.CreateAsync(portal, "person");
        var tag = Guid.NewGuid().ToString("N")[..8];
        var secret = await portal.CreateProjectAsync(owner, $"Secret {tag}");
        var open = await portal.CreateProjectAsync(owner, $"Open {tag}", ProjectVisibility.Internal);
        var viaTeam = await portal.CreateProjectAsync(owner, $"Team work {tag}");
        var direct = await portal.CreateProjectAsync(owner, $"Direct {tag}");
        await portal.AddTeamWithMemberAsync(viaTeam, person, ProjectRole.Editor);
        await portal.AddMemberAsync(direct, person, ProjectRole.Viewer);
        await portal.AddTeamWithMemberAsync(direct, person, ProjectRole.Maintainer);

        var visible = await portal.Projects().ListVisibleAsync(person, tag, ProjectSort.Name);
        var admin = await portal.Projects().ListVisibleAsync(await PortalUsers.PrincipalAsync(portal, PortalFixture.OwnerEmail), tag, ProjectSort.Name);

        Assert.Equal([direct, open, viaTeam], visible.Select(p => p.Slug));
        // The effective role is the highest of the direct and the team roles; internal projects give none.
        Assert.Equal([ProjectRole.Maintainer, null, ProjectRole.Editor], visible.Select(p => p.Role));
        Assert.Equal([direct, open, secret, viaTeam], admin.Select(p => p.Slug));
        Assert.Contains(viaTeam, (await portal.Projects().ListMineAsync(person.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)!.Value)).Select(p => p.Slug));
    }

    [Theory, DatabaseProviders]
    public async Task ListVisibleAsync_Search_MatchesNameSlugAndDescriptionInAnyCase(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await PortalUsers.CreateAsync(portal, "searcher");
        var tag = Guid.NewGuid().ToString("N")[..8];
        var byName = await portal.CreateProjectAsync(owner, $"Zebra{tag}", slug: ProjectScenario.NewSlug("first"));
        var bySlug = await portal.CreateProjectAsync(owner, "Second", slug: $"zebra{tag}-second");
        var byDescription = await portal.CreateProjectAsync(owner, "Third", description: $"Stripes: **ZEBRA{tag.ToUpperInvariant()}** data");
        await portal.CreateProjectAsync(owner, $"Unrelated {Guid.NewGuid():N}");

        var found = await portal.Projects().ListVisibleAsync(owner, $"  zebra{tag} ", ProjectSort.Name);

        Assert.Equal(new[] { bySlug, byDescription, byName }.Order(StringComparer.Ordinal), found.Select(p => p.Slug).Order(StringComparer.Ordinal));
    }
}
