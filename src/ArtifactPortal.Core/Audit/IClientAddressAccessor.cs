namespace ArtifactPortal.Core.Audit;

/// <summary>The IP address of the person behind the current operation, for the audit log; null for jobs.</summary>
public interface IClientAddressAccessor
{
    string? ClientAddress { get; }
}
