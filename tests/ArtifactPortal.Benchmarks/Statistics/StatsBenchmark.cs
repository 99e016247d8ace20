using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;

namespace ArtifactPortal.Benchmarks.Statistics;

/// <summary>
/// The `stats` command (its own process, as an operator runs it; peak RSS polled from /proc) against DuckDB's SUMMARIZE on
/// the same generated CSV and Parquet files, in the same run, both on at most 2 threads.
/// </summary>
public static class StatsBenchmark
{
    public static async Task RunAsync(string portalDll, string work, IReadOnlyList<int> rowCounts, int runs)
    {
        if (!File.Exists(portalDll))
        {
            throw new FileNotFoundException($"Build the portal first (dotnet build src/ArtifactPortal.Web -c Release): {portalDll} is missing.");
        }

        Console.WriteLine();
        Console.WriteLine("==> stats: `stats FILE --json` vs DuckDB SUMMARIZE (threads=2)");
        Console.WriteLine($"{"file",-22} {"MB",7} {"stats s",8} {"MB/s",7} {"peak MB",8} {"duckdb s",9} {"MB/s",7} {"speed-up",9}");
        foreach (var rows in rowCounts)
        {
            var csv = await GenerateAsync(work, rows);
            var parquet = Path.ChangeExtension(csv, ".parquet");
            await ToParquetAsync(csv, parquet, 1_000_000);
            string? single = null;
            if (rows > 1_000_000)
            {
                // The worst case for memory: every row in one row group.
                single = Path.Combine(work, $"synth_{rows}_one-group.parquet");
                await ToParquetAsync(csv, single, rows);
            }

            foreach (var file in single is null ? new[] { csv, parquet } : [csv, parquet, single])
            {
                var sizeMb = new FileInfo(file).Length / (double)BenchSupport.MiB;
                var ours = new List<double>();
                var peaks = new List<double>();
                var duck = new List<double>();
                for (var run = 0; run < runs; run++)
                {
                    var (seconds, peak) = await RunStatsAsync(portalDll, file);
                    ours.Add(seconds);
                    peaks.Add(peak / (double)BenchSupport.MiB);
                    duck.Add(await SummarizeAsync(file));
                }

                var (oursS, duckS) = (BenchSupport.Median(ours), BenchSupport.Median(duck));
                var name = $"{Path.GetExtension(file).TrimStart('.')} {rows / 1e6:0.#}M rows{(file == single ? ", 1 group" : "")}";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-22} {sizeMb,7:F0} {oursS,8:F2} {sizeMb / oursS,7:F0} {peaks.Max(),8:F0} {duckS,9:F2} {sizeMb / duckS,7:F0} {duckS / oursS,8:F2}×"));
                BenchSupport.AddSummary($"stats {name}", string.Create(CultureInfo.InvariantCulture, $"{oursS:F2} s"),
                    string.Create(CultureInfo.InvariantCulture, $"DuckDB SUMMARIZE {duckS:F2} s (DuckDB time / ours = {duckS / oursS:F2}), peak {peaks.Max():F0} MB, {sizeMb:F0} MB"));
            }
        }
    }

    private static async Task<string> GenerateAsync(string work, int rows)
    {
        var path = Path.Combine(work, $"synth_{rows}.csv");
        var generator = Path.Combine(AppContext.BaseDirectory, "Baseline", "gen_dataset.py");
        // Debian's python3 has python3-numpy; a pyenv shim first on PATH may not.
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        await BenchSupport.RunProcessAsync(python, [generator, "-n", rows.ToString(CultureInfo.InvariantCulture), "-o", path], work);
        return path;
    }

    private static async Task ToParquetAsync(string csv, string parquet, int rowGroupRows)
    {
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"COPY (SELECT * FROM read_csv('{csv}')) TO '{parquet}' (FORMAT parquet, ROW_GROUP_SIZE {rowGroupRows})";
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<double> SummarizeAsync(string file)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SET threads = 2; SUMMARIZE SELECT * FROM '{file}'";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
        }

        return stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task<(double Seconds, long PeakBytes)> RunStatsAsync(string portalDll, string file)
    {
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(BenchSupport.StartInfo("dotnet", [portalDll, "stats", file, "--json"], Path.GetDirectoryName(portalDll)!))
            ?? throw new InvalidOperationException("Could not start the portal.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.HasExited)
        {
            try
            {
                var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                if (line is not null)
                {
                    peak = Math.Max(peak, long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024);
                }
            }
            catch (IOException)
            {
                // Exited between the check and the read.
            }

            await Task.Delay(10);
        }

        await process.WaitForExitAsync();
        stopwatch.Stop();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"stats {file} exited with {process.ExitCode}: {await error}");
        }

        _ = await output;
        return (stopwatch.Elapsed.TotalSeconds, peak);
    }
}
