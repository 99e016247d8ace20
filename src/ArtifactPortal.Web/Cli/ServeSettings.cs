using ArtifactPortal.Infrastructure.Jobs;

namespace ArtifactPortal.Web.Cli;

/// <param name="Role">What this node does.</param>
/// <param name="HostArgs">Arguments for the ASP.NET Core host, such as --urls or --environment.</param>
public sealed record ServeSettings(NodeRole Role, string[] HostArgs);
