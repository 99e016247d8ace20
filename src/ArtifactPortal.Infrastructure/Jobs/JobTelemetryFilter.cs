using System.Diagnostics;
using ArtifactPortal.Core.Common;
using Hangfire.Server;

namespace ArtifactPortal.Infrastructure.Jobs;

/// <summary>
/// A Hangfire server filter: one activity and one duration measurement per job run. Registered on this node's job server
/// (not in Hangfire's process-wide filters), so each portal in a process records only its own jobs.
/// </summary>
internal sealed class JobTelemetryFilter(PortalTelemetry telemetry) : IServerFilter
{
    internal static readonly ActivitySource ActivitySource = new(PortalTelemetry.JobsActivitySourceName);

    private const string StateKey = "ArtifactPortal.JobTelemetry";

    public void OnPerforming(PerformingContext context)
    {
        var jobType = JobType(context);
        var activity = ActivitySource.StartActivity($"job {jobType}", ActivityKind.Internal);
        activity?.SetTag(PortalTelemetry.JobTypeTag, jobType);
        activity?.SetTag("artifactportal.job.id", context.BackgroundJob.Id);
        context.Items[StateKey] = new State(activity, Stopwatch.GetTimestamp());
    }

    public void OnPerformed(PerformedContext context)
    {
        if (!context.Items.TryGetValue(StateKey, out var value) || value is not State state)
        {
            return;
        }

        context.Items.Remove(StateKey);
        var outcome = context.Exception is null ? "succeeded" : context.Canceled ? "canceled" : "failed";
        var seconds = Stopwatch.GetElapsedTime(state.Started).TotalSeconds;
        telemetry.JobDuration.Record(seconds,
            new KeyValuePair<string, object?>(PortalTelemetry.JobTypeTag, JobType(context)),
            new KeyValuePair<string, object?>(PortalTelemetry.JobOutcomeTag, outcome));
        if (state.Activity is { } activity)
        {
            activity.SetTag(PortalTelemetry.JobOutcomeTag, outcome);
            if (context.Exception is { } exception)
            {
                activity.SetStatus(ActivityStatusCode.Error, exception.GetBaseException().GetType().Name);
            }

            activity.Dispose();
        }
    }

    private static string JobType(PerformContext context) =>
        context.BackgroundJob.Job is { } job ? $"{job.Type.Name}.{job.Method.Name}" : "unknown";

    private sealed record State(Activity? Activity, long Started);
}
