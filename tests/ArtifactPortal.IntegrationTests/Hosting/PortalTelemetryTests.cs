using System.Collections;
using System.Diagnostics;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Analysis;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ArtifactPortal.IntegrationTests.Hosting;

/// <summary>The portal's OpenTelemetry pipeline with an in-memory exporter in place of OTLP: what a collector would receive.</summary>
[Collection(PortalCollectionDefinition.Name)]
public sealed class PortalTelemetryTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task UploadAndJob_RecordUploadBytesJobDurationAndTraces(DatabaseProvider provider)
    {
        var metrics = new LockedList<MetricSnapshot>();
        var activities = new LockedList<Activity>();
        await using var portal = await fixture.NewPortalAsync(provider);
        // Traces are recorded only when exported; nothing listens there, the in-memory exporter below sees what would go.
        portal.Settings[PortalTelemetryExtensions.OtlpEndpointKey] = "http://127.0.0.1:9";
        portal.TestServices.Add(services => services
            .ConfigureOpenTelemetryMeterProvider(builder => builder.AddInMemoryExporter(metrics))
            .ConfigureOpenTelemetryTracerProvider(builder => builder.AddInMemoryExporter(activities)));
        using var scenario = await AnalysisScenario.StartAsync(portal, "telemetry");
        var (csv, _) = AnalysisScenario.Csv(300);
        var image = AnalysisScenario.Png(64, 48);

        await scenario.UploadAsync(("data.csv", csv), ("cat.png", image));
        await scenario.WaitForJobsAsync(1);

        var meterProvider = portal.Services.GetRequiredService<MeterProvider>();
        Flush(meterProvider, metrics);
        Assert.Equal(csv.Length + image.Length, Sum(metrics, PortalTelemetry.UploadBytesInstrument));

        // The analysis status turns Succeeded inside the job; Hangfire's server filter measures just after it returns.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        long jobCount;
        while ((jobCount = HistogramCount(metrics, PortalTelemetry.JobDurationInstrument, "ComputeStatisticsJob.RunAsync", "succeeded")) == 0
               && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            Flush(meterProvider, metrics);
        }

        // Other portals of this test process share the meter's name, so "at least one", not "exactly one".
        Assert.True(jobCount >= 1, "No duration was recorded for the statistics job.");
        var recorded = activities.Snapshot();
        var job = recorded.First(a => a.OperationName == "job ComputeStatisticsJob.RunAsync");
        Assert.Equal(PortalTelemetry.JobsActivitySourceName, job.Source.Name);
        Assert.Equal("succeeded", job.GetTagItem(PortalTelemetry.JobOutcomeTag));
        Assert.Contains(recorded, a => a.Kind == ActivityKind.Server && a.DisplayName.StartsWith("PUT /api/v1/uploads/", StringComparison.Ordinal));
        Assert.Contains(recorded, a => a.Source.Name.Contains("EntityFrameworkCore", StringComparison.Ordinal));
        Assert.Contains(metrics.Snapshot(), m => m.Name == "http.server.request.duration");
    }

    [Fact]
    public async Task WithoutOtlpEndpoint_NoTracesAreRecorded()
    {
        await using var portal = await fixture.NewPortalAsync(DatabaseProvider.Sqlite);
        portal.CreateClient();

        Assert.Null(portal.Services.GetService<TracerProvider>());
        Assert.NotNull(portal.Services.GetService<MeterProvider>());
    }

    /// <summary>One export of the cumulative totals; a metric can come in several streams (one per meter instance).</summary>
    private static void Flush(MeterProvider meterProvider, LockedList<MetricSnapshot> metrics)
    {
        metrics.Clear();
        // False here: the OTLP exporter has no collector to reach. The in-memory exporter is flushed all the same.
        meterProvider.ForceFlush();
    }

    private static long Sum(LockedList<MetricSnapshot> metrics, string name)
    {
        long sum = 0;
        foreach (var point in metrics.Snapshot().Where(m => m.Name == name).SelectMany(m => m.MetricPoints))
        {
            sum += point.GetSumLong();
        }

        return sum;
    }

    private static long HistogramCount(LockedList<MetricSnapshot> metrics, string name, string jobType, string outcome)
    {
        long count = 0;
        foreach (var point in metrics.Snapshot().Where(m => m.Name == name).SelectMany(m => m.MetricPoints))
        {
            string? type = null, result = null;
            foreach (var tag in point.Tags)
            {
                if (tag.Key == PortalTelemetry.JobTypeTag)
                {
                    type = tag.Value as string;
                }
                else if (tag.Key == PortalTelemetry.JobOutcomeTag)
                {
                    result = tag.Value as string;
                }
            }

            if (type == jobType && result == outcome)
            {
                count += point.GetHistogramCount();
            }
        }

        return count;
    }

    /// <summary>The exporters add from the portal's threads while the test reads.</summary>
    private sealed class LockedList<T> : ICollection<T>
    {
        private readonly List<T> _items = [];

        public int Count
        {
            get
            {
                lock (_items)
                {
                    return _items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public List<T> Snapshot()
        {
            lock (_items)
            {
                return [.. _items];
            }
        }

        public void Add(T item)
        {
            lock (_items)
            {
                _items.Add(item);
            }
        }

        public void Clear()
        {
            lock (_items)
            {
                _items.Clear();
            }
        }

        public bool Contains(T item) => Snapshot().Contains(item);

        public void CopyTo(T[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

        public bool Remove(T item)
        {
            lock (_items)
            {
                return _items.Remove(item);
            }
        }

        public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
