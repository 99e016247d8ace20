using System.CommandLine;

namespace ArtifactPortal.Web.Cli;

internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Apply pending database migrations for the configured provider, then exit.");
        command.SetAction(async (_, cancellationToken) =>
        {
            await using var app = await OperatorHost.StartAsync(migrate: true, cancellationToken).ConfigureAwait(false);
            Console.WriteLine("Database is up to date.");
            return ExitCodes.Success;
        });
        return command;
    }
}
