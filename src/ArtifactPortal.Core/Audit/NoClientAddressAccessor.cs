namespace ArtifactPortal.Core.Audit;

/// <summary>For hosts without HTTP requests (command line, jobs).</summary>
internal sealed class NoClientAddressAccessor : IClientAddressAccessor
{
    public string? ClientAddress => null;
}
