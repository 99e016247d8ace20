namespace ArtifactPortal.Core.Analysis;

/// <summary>Runs after a version's commit is saved; a failure here never undoes the commit.</summary>
public interface IVersionCommittedHandler
{
    Task OnCommittedAsync(Guid versionId, CancellationToken cancellationToken);
}
