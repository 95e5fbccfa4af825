using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Cli;

/// <summary>
/// `Direkt migrate`: brings the database schema up to date and exits, without opening a port or touching the object store
/// (for deploy pipelines that migrate before rolling out new instances; the server also migrates at start-up).
/// </summary>
internal static class MigrateCommand
{
    public static async Task<int> RunAsync(CommandArguments arguments)
    {
        arguments.NoWords();
        await using var app = DirektServer.Build(new DirektServerOptions { Configuration = arguments.Source() });
        await DirektServer.MigrateAsync(app.Services, CancellationToken.None);
        Console.WriteLine("the database schema is up to date");
        return 0;
    }
}
