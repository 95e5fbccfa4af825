namespace Direkt.TestServices;

/// <summary>Finds files of the repository (README.md, config/direkt.conf) from the test's output folder.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string File(string relative) => System.IO.Path.Combine(Path, relative);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "Direkt.sln"))) return dir.FullName;
        throw new InvalidOperationException("Direkt.sln not found above " + AppContext.BaseDirectory);
    }
}
