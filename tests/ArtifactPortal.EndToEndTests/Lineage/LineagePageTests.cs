using System.Diagnostics;
using System.Security.Claims;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Runs;
using ArtifactPortal.EndToEndTests.Pages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Lineage;

[Collection(PortalSuite.Name)]
public sealed class LineagePageTests(PortalFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task VersionLineage_ModelVersion_ShowsDatasetAndRunAndClicksThroughToTheDataset()
    {
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("lineage"));
        var slug = await fixture.CreateProjectAsync(email, "Vision", $"vision-{Guid.NewGuid().ToString("N")[..6]}");
        await SeedAsync(email, slug, sweepRuns: 0);
        var page = await fixture.NewSignedInPageAsync(email);
        var lineage = new LineagePanel(page);

        await page.GotoAsync($"p/{slug}/artifacts/resnet/v1");
        await lineage.OpenTabAsync();
        await Expect(lineage.ReadyCanvas).ToBeAttachedAsync();
        await lineage.Canvas.ScrollIntoViewIfNeededAsync();

        Assert.Equal(["cifar10", "eval-2", "resnet", "train-1"], await lineage.NodeLabelsAsync());
        await fixture.ScreenshotAsync(page, "lineage-model-version");
        await lineage.ClickNodeAsync("cifar10");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/p/{slug}/artifacts/cifar10/v1$"));
        await Expect(page.GetByTestId("version-title")).ToContainTextAsync("cifar10");
        await lineage.OpenTabAsync();
        await Expect(page.GetByTestId("lineage-impact")).ToContainTextAsync("production");
        await fixture.ScreenshotAsync(page, "lineage-dataset-impact");
    }

    [Fact]
    public async Task RunLineage_TrainingRun_ShowsItsInputDatasetAndOutputModel()
    {
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("lineage-run"));
        var slug = await fixture.CreateProjectAsync(email, "Runs lineage", $"runs-{Guid.NewGuid().ToString("N")[..6]}");
        await SeedAsync(email, slug, sweepRuns: 0);
        var page = await fixture.NewSignedInPageAsync(email);
        var lineage = new LineagePanel(page);

        // Run 1 is train-1: it read cifar10:v1 and produced resnet:v1, which eval-2 then read.
        await page.GotoAsync($"p/{slug}/runs/1");
        await Expect(lineage.Canvas).Not.ToBeAttachedAsync();
        await lineage.OpenTabAsync();
        await Expect(lineage.ReadyCanvas).ToBeAttachedAsync();
        await lineage.Canvas.ScrollIntoViewIfNeededAsync();

        Assert.Equal(["cifar10", "eval-2", "resnet", "train-1"], await lineage.NodeLabelsAsync());
        Assert.Equal("train-1", await lineage.FocusLabelAsync());
        Assert.Equal(["cifar10 > train-1", "train-1 > resnet"], await lineage.EdgesTouchingAsync("train-1"));
        await fixture.ScreenshotAsync(page, "lineage-run");
        await lineage.ClickNodeAsync("resnet");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/p/{slug}/artifacts/resnet/v1$"));
    }

    [Fact]
    public async Task LineagePage_ManySweepRuns_CollapseIntoAGroupThatExpandsOnClick()
    {
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("lineage-group"));
        var slug = await fixture.CreateProjectAsync(email, "Sweeps", $"sweeps-{Guid.NewGuid().ToString("N")[..6]}");
        // Depth 2 down from cifar10: train-1, resnet and 37 sweep runs.
        await SeedAsync(email, slug, sweepRuns: 37);
        var page = await fixture.NewSignedInPageAsync(email);
        var lineage = new LineagePanel(page);

        // Time to interactive: navigation start to the graph drawn; the first load also starts the circuit and JITs the code.
        var clock = Stopwatch.StartNew();
        await page.GotoAsync($"p/{slug}/lineage?node={slug}/cifar10:v1");
        await Expect(lineage.ReadyCanvas).ToBeAttachedAsync();
        var cold = clock.ElapsedMilliseconds;
        output.WriteLine($"First load, where the time went: {await lineage.LoadTimelineAsync()}");
        clock.Restart();
        await page.ReloadAsync();
        await Expect(lineage.ReadyCanvas).ToBeAttachedAsync();
        output.WriteLine($"Lineage page interactive: first load {cold} ms, reload {clock.ElapsedMilliseconds} ms (40 nodes, 37 runs grouped; target < 2000 ms).");
        output.WriteLine($"Reload, where the time went: {await lineage.LoadTimelineAsync()}");
        Assert.True(clock.ElapsedMilliseconds < 5_000, $"The lineage page took {clock.ElapsedMilliseconds} ms to draw its graph.");

        Assert.Contains("+37 runs", await lineage.NodeLabelsAsync());
        await fixture.ScreenshotAsync(page, "lineage-standalone-grouped");
        await lineage.ClickNodeAsync("+37 runs");
        await Expect(lineage.Canvas).ToHaveAttributeAsync("data-nodes", "40");
    }

    /// <summary>
    /// cifar10:v1 → train-1 → resnet:v1 (production) → eval-2, plus <paramref name="sweepRuns"/> runs of one experiment
    /// reading cifar10; written to the tables as logged runs leave them (the runs API is another feature's).
    /// </summary>
    private async Task SeedAsync(string email, string slug, int sweepRuns)
    {
        var userId = (await fixture.PrincipalAsync(email)).FindFirstValue(ClaimTypes.NameIdentifier)!;
        var artifacts = fixture.Services.GetRequiredService<ArtifactService>();
        var owner = await fixture.PrincipalAsync(email);
        Assert.True((await artifacts.CreateAsync(owner, slug, new NewArtifact("cifar10", ArtifactType.Dataset))).Succeeded);
        Assert.True((await artifacts.CreateAsync(owner, slug, new NewArtifact("resnet", ArtifactType.Model))).Succeeded);
        await using var db = await fixture.Services.GetRequiredService<IPortalDbContextFactory>().CreateDbContextAsync();
        var projectId = await db.Projects.Where(p => p.Slug == slug).Select(p => p.Id).SingleAsync();
        var found = await db.Artifacts.Where(a => a.ProjectId == projectId).ToDictionaryAsync(a => a.Name);
        var now = DateTimeOffset.UtcNow;
        var experiment = new Experiment { Id = Guid.NewGuid(), ProjectId = projectId, Name = "train", NormalizedName = "TRAIN", CreatedAt = now, CreatedByUserId = userId };
        var sweep = new Experiment { Id = Guid.NewGuid(), ProjectId = projectId, Name = "sweep", NormalizedName = "SWEEP", CreatedAt = now, CreatedByUserId = userId };
        var number = 0;
        Run NewRun(Experiment e) => new()
        {
            Id = Guid.NewGuid(),
            ProjectId = projectId,
            ExperimentId = e.Id,
            Number = ++number,
            Name = $"{e.Name}-{number}",
            Status = RunStatus.Finished,
            StartedAt = now,
            LastHeartbeatAt = now,
            CreatedByUserId = userId,
            ConcurrencyStamp = Guid.NewGuid(),
        };
        var train = NewRun(experiment);
        var evaluation = new Experiment { Id = Guid.NewGuid(), ProjectId = projectId, Name = "eval", NormalizedName = "EVAL", CreatedAt = now, CreatedByUserId = userId };
        var evaluate = NewRun(evaluation);
        var sweeps = Enumerable.Range(0, sweepRuns).Select(_ => NewRun(sweep)).ToList();
        var data = Version(found["cifar10"], null);
        var model = Version(found["resnet"], train.Id);
        db.Experiments.AddRange(experiment, evaluation, sweep);
        db.Runs.AddRange([train, evaluate, .. sweeps]);
        db.ArtifactVersions.AddRange(data, model);
        await db.SaveChangesAsync();
        db.RunInputs.AddRange([new RunInput { RunId = train.Id, VersionId = data.Id, CreatedAt = now }, new RunInput { RunId = evaluate.Id, VersionId = model.Id, CreatedAt = now },
            .. sweeps.Select(r => new RunInput { RunId = r.Id, VersionId = data.Id, CreatedAt = now })]);
        db.ArtifactAliases.AddRange(
            new ArtifactAlias { ArtifactId = data.ArtifactId, Name = ArtifactNames.Latest, VersionId = data.Id, UpdatedAt = now },
            new ArtifactAlias { ArtifactId = model.ArtifactId, Name = ArtifactNames.Latest, VersionId = model.Id, UpdatedAt = now },
            new ArtifactAlias { ArtifactId = model.ArtifactId, Name = "production", VersionId = model.Id, UpdatedAt = now });
        await db.SaveChangesAsync();

        ArtifactVersion Version(Artifact artifact, Guid? producedBy)
        {
            artifact.LastVersionNumber = 1;
            artifact.VersionCount = 1;
            artifact.ConcurrencyStamp = Guid.NewGuid();
            return new ArtifactVersion { Id = Guid.NewGuid(), ArtifactId = artifact.Id, Number = 1, CreatedAt = now, CreatedByUserId = userId, ProducedByRunId = producedBy };
        }
    }
}
