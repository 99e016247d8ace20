using System.Text.Json;
using ArtifactPortal.Core.Statistics;
using ArtifactPortal.IntegrationTests.Support;

namespace ArtifactPortal.IntegrationTests.Cli;

public sealed class StatsCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("artifactportal-stats-cli-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task Stats_Csv_PrintsATableAndJsonWithoutADatabase()
    {
        var file = Path.Combine(_folder.FullName, "sales.csv");
        await File.WriteAllTextAsync(file, "region,amount\nnorth,10\nsouth,20.5\nnorth,\n");

        var table = await PortalExecutable.RunAsync(_folder.FullName, "stats", file);
        var json = await PortalExecutable.RunAsync(_folder.FullName, "stats", file, "--json");

        Assert.True(table.ExitCode == 0, table.StandardError);
        Assert.Contains("sales.csv: csv, delimiter ',', header, utf-8", table.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"amount\s+float\s+2\s+33\.3 %\s+2\s+10\s+15\.25\s+20\.5", table.StandardOutput);
        Assert.Matches(@"region\s+string\s+3\s+0\.0 %\s+2 .*north \(2\), south \(1\)", table.StandardOutput);
        var statistics = JsonSerializer.Deserialize<FileStatistics>(json.StandardOutput, FileStatisticsJson.Options)!;
        Assert.Equal(3, statistics.RowCount);
        Assert.Equal(15.25, statistics.Columns[1].Mean);
        // No database was created: the command does not start the host.
        Assert.False(File.Exists(Path.Combine(_folder.FullName, "portal.db")));
    }

    [Fact]
    public async Task Stats_BadFile_FailsWithTheReasonOnStandardError()
    {
        var file = Path.Combine(_folder.FullName, "ragged.csv");
        await File.WriteAllTextAsync(file, "a,b\n1,2,3\n");

        var result = await PortalExecutable.RunAsync(_folder.FullName, "stats", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Cannot compute statistics of ragged.csv: Row 1 (line 2) has 3 field(s), the header has 2.", result.StandardError,
            StringComparison.Ordinal);
    }
}
