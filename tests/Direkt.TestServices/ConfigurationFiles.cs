namespace Direkt.TestServices;

/// <summary>A temporary folder for configuration files; deleted afterwards.</summary>
public sealed class ConfigurationFiles : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("direkt-conf-").FullName;

    public string Write(string name, string content)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
