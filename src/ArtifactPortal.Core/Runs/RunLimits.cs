namespace ArtifactPortal.Core.Runs;

/// <summary>Sizes checked by the API (400 with the offending key) and enforced by the schema.</summary>
public static class RunLimits
{
    public const int MaxNameLength = 200;
    public const int MaxKeyLength = 250;
    public const int MaxParamValueLength = 6000;
    public const int MaxTagLength = 250;
    public const int MaxNotesLength = 20_000;
    public const int MaxSourceLength = 500;
    public const int MaxPointsPerBatch = 1000;
}
