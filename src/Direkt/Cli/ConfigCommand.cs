using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Direkt.Configuration.Loading;
using Microsoft.Extensions.Configuration;

namespace Direkt.Cli;

/// <summary>
/// `Direkt config check [--config FILE] [--path P]`: validates the configuration exactly as the server would (exit 2 with
/// every problem otherwise); with --path, prints the patterns that match P and the merged policy that applies, as JSON
/// (which is also valid HOCON) with direkt.conf's key names.
/// </summary>
internal static class ConfigCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { UseConfigurationKeyNames } },
    };

    public static Task<int> RunAsync(CommandArguments arguments)
    {
        if (arguments.Words is not ["check"]) throw new UsageException("the config verb has one action: check");
        var configuration = DirektConfigurationLoader.Load(arguments.Source());
        Console.WriteLine(configuration.FilePath is { } file
            ? $"{file}: valid"
            : $"no {DirektConfigurationLoader.DefaultPath} found: the built-in defaults (with the environment) are valid");
        foreach (var warning in configuration.Warnings) Console.WriteLine($"warning: {warning}");
        if (arguments.Path is { } path)
        {
            if (!path.StartsWith('/')) throw new UsageException("--path takes an asset path such as /users/123/avatar");
            var patterns = configuration.Paths.MatchingPatterns(path);
            Console.WriteLine($"\n{path} matches {string.Join(", ", patterns.Select(p => $"\"{p}\""))} (least specific first); the policy that applies:");
            Console.WriteLine(JsonSerializer.Serialize(configuration.Paths.Resolve(path), Json));
        }
        return Task.FromResult(0);
    }

    // The options classes name each property after its direkt.conf key; print those names, not the C# ones.
    private static void UseConfigurationKeyNames(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
            if (property.AttributeProvider is MemberInfo member && member.GetCustomAttribute<ConfigurationKeyNameAttribute>() is { } key)
                property.Name = key.Name;
    }
}
