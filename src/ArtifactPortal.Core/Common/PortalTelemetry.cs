using System.Diagnostics.Metrics;

namespace ArtifactPortal.Core.Common;

/// <summary>
/// The portal's own OpenTelemetry names and instruments. Meters come from the host's <see cref="IMeterFactory"/>, so
/// several portals in one process (the tests) keep their measurements apart.
/// </summary>
public sealed class PortalTelemetry
{
    public const string MeterName = "ArtifactPortal";
    public const string JobsActivitySourceName = "ArtifactPortal.Jobs";

    public const string UploadBytesInstrument = "artifactportal.upload.bytes";
    public const string JobDurationInstrument = "artifactportal.job.duration";

    public const string UploadModeTag = "artifactportal.upload.mode";
    public const string JobTypeTag = "artifactportal.job.type";
    public const string JobOutcomeTag = "artifactportal.job.outcome";

    public PortalTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        UploadBytes = meter.CreateCounter<long>(UploadBytesInstrument, "By",
            "Bytes of artifact files received from clients and written to the blob store or the upload staging area.");
        JobDuration = meter.CreateHistogram<double>(JobDurationInstrument, "s", "How long each background job ran.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900] });
    }

    public Counter<long> UploadBytes { get; }

    public Histogram<double> JobDuration { get; }

    /// <summary>Counts bytes that one upload request wrote; <paramref name="mode"/> is <c>file</c> or <c>chunk</c>.</summary>
    public void RecordUpload(long bytes, string mode)
    {
        if (bytes > 0)
        {
            UploadBytes.Add(bytes, new KeyValuePair<string, object?>(UploadModeTag, mode));
        }
    }
}
