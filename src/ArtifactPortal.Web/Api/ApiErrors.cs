using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Core.Runs;

namespace ArtifactPortal.Web.Api;

/// <summary>
/// Turns the Core services' exceptions into RFC 7807 problems, so every endpoint answers the same status for the same
/// situation: missing and not-allowed projects both read 404.
/// </summary>
public static class ApiErrors
{
    public static RouteGroupBuilder WithApiErrors(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (Exception e) when (StatusFor(e) is { } status)
            {
                return Problem(status, e.Message);
            }
        });
        return group;
    }

    public static IResult Problem(int status, string detail) => TypedResults.Problem(statusCode: status, title: Title(status), detail: detail);

    /// <summary>400 with the field errors of a failed <see cref="Result{T}"/>.</summary>
    public static IResult Invalid<T>(Result<T> result) => TypedResults.ValidationProblem(
        result.Errors.ToDictionary(e => e.Key, e => new[] { e.Value }), detail: result.ErrorMessage, title: "The request is not valid");

    private static int? StatusFor(Exception e) => e switch
    {
        ProjectNotFoundException => StatusCodes.Status404NotFound,
        PortalNotFoundException => StatusCodes.Status404NotFound,
        PortalAccessDeniedException => StatusCodes.Status403Forbidden,
        PortalRequestException or InvalidBlobHashException or RunFilterException => StatusCodes.Status400BadRequest,
        PortalConflictException => StatusCodes.Status409Conflict,
        BlobTooLargeException => StatusCodes.Status413PayloadTooLarge,
        BlobHashMismatchException => StatusCodes.Status422UnprocessableEntity,
        StorageQuotaExceededException => StatusCodes.Status507InsufficientStorage,
        BadHttpRequestException bad => bad.StatusCode,
        _ => null,
    };

    private static string Title(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request is not valid",
        StatusCodes.Status403Forbidden => "Not allowed",
        StatusCodes.Status404NotFound => "Not found",
        StatusCodes.Status409Conflict => "Conflict",
        StatusCodes.Status413PayloadTooLarge => "Too large",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
        StatusCodes.Status422UnprocessableEntity => "Content does not match its SHA-256",
        StatusCodes.Status507InsufficientStorage => "Storage quota exceeded",
        _ => "Error",
    };
}
