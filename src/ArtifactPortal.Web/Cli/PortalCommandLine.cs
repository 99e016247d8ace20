using System.CommandLine;
using System.Globalization;
using ArtifactPortal.Infrastructure.Jobs;

namespace ArtifactPortal.Web.Cli;

/// <summary>The commands of the portal's executable. Unknown --options after `serve` go to the ASP.NET Core host.</summary>
public static class PortalCommandLine
{
    public static async Task<int> InvokeAsync(string[] args, Func<ServeSettings, CancellationToken, Task<int>> serve)
    {
        var root = Create(serve);
        var parseResult = root.Parse(args);
        // System.CommandLine only honours the root's setting, which passes host options through; the operator
        // commands keep the default and must not ignore a mistyped option such as `--admn`.
        var command = parseResult.CommandResult.Command;
        if (command.TreatUnmatchedTokensAsErrors && parseResult.UnmatchedTokens.Count > 0)
        {
            Console.Error.WriteLine(
                $"Unrecognized argument(s) for '{command.Name}': {string.Join(' ', parseResult.UnmatchedTokens)}. Run with --help for details.");
            return ExitCodes.BadArguments;
        }

        // Exceptions propagate: WebApplicationFactory stops the host by throwing through the entry point.
        return await parseResult.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
    }

    public static RootCommand Create(Func<ServeSettings, CancellationToken, Task<int>> serve)
    {
        var role = new Option<NodeRole>("--role")
        {
            Description = "all: pages, API and background jobs (default); web: pages and API; worker: background jobs only.",
            DefaultValueFactory = _ => NodeRole.All,
        };

        var queues = new Option<string?>("--queues")
        {
            Description = $"Comma-separated job queues this node takes jobs from ({string.Join(", ", PortalQueues.All)}); sets Jobs:Queues. Default: all.",
        };
        var workers = new Option<int?>("--workers") { Description = "Job worker threads on this node; sets Jobs:WorkerCount." };

        var serveCommand = new Command("serve", "Run the portal (the default command). Host options such as --urls pass through.")
        {
            role,
            queues,
            workers,
        };
        serveCommand.TreatUnmatchedTokensAsErrors = false;
        serveCommand.SetAction((parseResult, cancellationToken) =>
        {
            // The options become configuration keys, so Jobs:Queues and Jobs:WorkerCount are validated in one place.
            string[] jobArgs =
            [
                .. (parseResult.GetValue(queues) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select((queue, i) => $"--{JobsOptions.SectionName}:{nameof(JobsOptions.Queues)}:{i}={queue}"),
                .. parseResult.GetValue(workers) is { } count
                    ? [$"--{JobsOptions.SectionName}:{nameof(JobsOptions.WorkerCount)}={count.ToString(CultureInfo.InvariantCulture)}"]
                    : Array.Empty<string>(),
            ];
            return serve(new ServeSettings(parseResult.GetValue(role), [.. parseResult.UnmatchedTokens, .. jobArgs]), cancellationToken);
        });

        var root = new RootCommand("ArtifactPortal: a team portal for machine-learning artifacts.")
        {
            serveCommand,
            MigrateCommand.Create(),
            AdminCommand.Create(),
            StatsCommand.Create(),
            ThumbnailCommand.Create(),
        };
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((parseResult, cancellationToken) =>
        {
            var unmatched = parseResult.UnmatchedTokens;
            if (unmatched.Count > 0 && !unmatched[0].StartsWith('-'))
            {
                Console.Error.WriteLine($"Unknown command '{unmatched[0]}'. Commands: serve, migrate, admin, stats, thumbnail. Run with --help for details.");
                return Task.FromResult(ExitCodes.BadArguments);
            }

            return serve(new ServeSettings(NodeRole.All, [.. unmatched]), cancellationToken);
        });
        return root;
    }
}

public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadArguments = 2;
}
