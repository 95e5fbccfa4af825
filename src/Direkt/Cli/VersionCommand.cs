using System.Reflection;
using Direkt.Imaging;

namespace Direkt.Cli;

/// <summary>`Direkt version`: what is running, for bug reports and deploy checks.</summary>
internal static class VersionCommand
{
    public static string DirektVersion { get; } =
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static Task<int> RunAsync(CommandArguments arguments)
    {
        arguments.NoWords();
        Console.WriteLine($"Direkt {DirektVersion}");
        Console.WriteLine($"libvips {LibvipsRuntime.Initialize(0)} ({LibvipsRuntime.Library})");
        Console.WriteLine($".NET {Environment.Version}");
        return Task.FromResult(0);
    }
}
