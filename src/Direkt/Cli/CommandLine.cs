using Direkt.Configuration.Loading;

namespace Direkt.Cli;

/// <summary>
/// One verb of the executable: its name, a one-line summary, its usage text and what it does; <paramref name="Options"/> are the
/// valued options it takes besides --config and --path (refused for every other verb). A verb with sub-verbs and options of
/// its own reads its raw arguments instead (<paramref name="RunRawAsync"/>).
/// </summary>
public sealed record Command(string Name, string Summary, string Usage, Func<CommandArguments, Task<int>> RunAsync,
    IReadOnlyList<string>? Options = null, Func<IReadOnlyList<string>, Task<int>>? RunRawAsync = null);

/// <summary>
/// The executable's verbs (`Direkt [verb] [options]`). No verb runs the server. An unknown verb or option is an error (exit 2)
/// rather than a server started by accident; `--help` works everywhere.
/// </summary>
internal static class CommandLine
{
    public const int UsageErrorExitCode = 2;

    public static IReadOnlyList<Command> Commands { get; } =
    [
        new("serve", "run the server (the default when no verb is given)", "Direkt [serve] [--config FILE]",
            a => DirektServer.ServeAsync(a.Config)),
        new("config", "check a direkt.conf; with --path, print the policy that applies to that path",
            "Direkt config check [--config FILE] [--path /users/123/avatar]", ConfigCommand.RunAsync),
        new("migrate", "create or upgrade the database schema, then exit (nothing else is touched)",
            "Direkt migrate [--config FILE]", MigrateCommand.RunAsync),
        new("health-check", "exit 0 when the server's /health answers 200 (the container HEALTHCHECK); the port comes from the configuration",
            "Direkt health-check [--config FILE] [URL]", HealthCheckCommand.RunAsync),
        new("sign", "print URLs with their signature `s`, using url-signing.* from the configuration",
            "Direkt sign [--config FILE] /assets/PATH[/-/…][?QUERY] …", SignCommand.RunAsync),
        new("token", "print an upload token for a browser, using auth.upload-tokens.* from the configuration",
            "Direkt token [--config FILE] --path /users/123/avatar|/users/123/** [--expires-in SECONDS] [--max-bytes N] [--type image/jpeg]…",
            TokenCommand.RunAsync, TokenCommand.Options),
        new("version", "print Direkt's, libvips' and .NET's versions", "Direkt version", VersionCommand.RunAsync),
        new("jobs", "start, watch, cancel or list background jobs of a running server (pregenerate, purge, regenerate)",
            JobsCommand.Usage, _ => Task.FromResult(UsageErrorExitCode), RunRawAsync: JobsCommand.RunAsync),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["--help" or "-h" or "help"]) return Help(Console.Out);
        if (args is ["help" or "--help" or "-h", var topic]) return Commands.FirstOrDefault(c => c.Name == topic) is { } about
            ? HelpFor(about, Console.Out)
            : UnknownVerb(topic);

        var (command, rest) = args is [var first, .. var tail] && !first.StartsWith('-')
            ? (Commands.FirstOrDefault(c => c.Name == first), tail)
            : (Commands[0], args);
        if (command is null) return UnknownVerb(args[0]);
        if (rest.Contains("--help") || rest.Contains("-h")) return HelpFor(command, Console.Out);

        if (command.RunRawAsync is { } raw)
        {
            try
            {
                return await raw(rest);
            }
            catch (DirektConfigurationException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return DirektServer.ConfigurationErrorExitCode;
            }
            catch (UsageException e)
            {
                await Console.Error.WriteLineAsync($"{e.Message}\nusage: {command.Usage}");
                return UsageErrorExitCode;
            }
        }
        if (!CommandArguments.TryParse(rest, out var arguments, out var problem, command.Options))
        {
            await Console.Error.WriteLineAsync($"{problem}\nusage: {command.Usage}");
            return UsageErrorExitCode;
        }
        try
        {
            return await command.RunAsync(arguments!);
        }
        catch (DirektConfigurationException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return DirektServer.ConfigurationErrorExitCode;
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\nusage: {command.Usage}");
            return UsageErrorExitCode;
        }
    }

    private static int UnknownVerb(string verb)
    {
        Console.Error.WriteLine($"unknown command '{verb}'; run 'Direkt --help' for the list");
        return UsageErrorExitCode;
    }

    public static int Help(TextWriter output)
    {
        output.WriteLine("Direkt: a self-hosted image server.\n\nusage: Direkt [verb] [options]\n\nverbs:");
        foreach (var command in Commands) output.WriteLine($"  {command.Name,-13} {command.Summary}");
        output.WriteLine("\nRun 'Direkt help VERB' or 'Direkt VERB --help' for a verb's options. The configuration is");
        output.WriteLine("config/direkt.conf (or --config FILE, or DIREKT_CONFIG) with DIREKT_* environment overrides (docs/configuration.md).");
        return 0;
    }

    private static int HelpFor(Command command, TextWriter output)
    {
        output.WriteLine($"{command.Summary}\n\nusage: {command.Usage}");
        return 0;
    }
}

/// <summary>
/// A verb's options: `--config FILE`, `--path P`, the verb's own valued options (each may repeat, in <see cref="Options"/>) and
/// positional words; anything else starting with `-` is refused.
/// </summary>
public sealed record CommandArguments(string? Config, string? Path, IReadOnlyList<string> Words)
{
    private static readonly string[] ValuedOptions = ["--config", "--path"];

    /// <summary>The verb's own options as given, in order (name with its dashes, value).</summary>
    public IReadOnlyList<(string Name, string Value)> Options { get; init; } = [];

    public static bool TryParse(IReadOnlyList<string> args, out CommandArguments? parsed, out string? problem,
        IReadOnlyList<string>? verbOptions = null)
    {
        string? config = null, path = null;
        var words = new List<string>();
        var options = new List<(string, string)>();
        parsed = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (ValuedOptions.Contains(arg) || verbOptions?.Contains(arg) == true)
            {
                if (i + 1 >= args.Count) { problem = $"{arg} needs a value"; return false; }
                if (arg == "--config") config = args[++i];
                else if (arg == "--path") path = args[++i];
                else options.Add((arg, args[++i]));
            }
            else if (arg.StartsWith('-') && arg.Length > 1) { problem = $"unknown option '{arg}'"; return false; }
            else words.Add(arg);
        }
        parsed = new CommandArguments(config, path, words) { Options = options };
        problem = null;
        return true;
    }

    public ConfigurationSource Source() => ConfigurationSource.FromProcess(Config);

    /// <summary>Refuses positional words for verbs that take none.</summary>
    public CommandArguments NoWords()
    {
        if (Words.Count > 0) throw new UsageException($"unexpected argument '{Words[0]}'");
        return this;
    }
}

/// <summary>The command line does not fit the verb (exit 2 with its usage).</summary>
internal sealed class UsageException(string message) : Exception(message);
