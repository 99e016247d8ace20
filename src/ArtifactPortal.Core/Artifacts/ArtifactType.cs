namespace ArtifactPortal.Core.Artifacts;

public enum ArtifactType
{
    Dataset,
    Model,
    Evaluation,
    Visualization,
    Config,
    Log,
    Other,
}
