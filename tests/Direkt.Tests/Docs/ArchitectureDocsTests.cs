using System.Text.RegularExpressions;
using Direkt.Tests.Support;

namespace Direkt.Tests.Docs;

/// <summary>docs/architecture.md's part graph is the one the project files state.</summary>
public sealed class ArchitectureDocsTests
{
    [Fact]
    public void The_part_graph_in_the_docs_matches_the_project_references()
    {
        var documented = DocumentedGraph(File.ReadAllText(RepositoryRoot.File("docs/architecture.md")));
        var actual = Directory.GetDirectories(RepositoryRoot.File("src"))
            .Select(folder => Path.Combine(folder, Path.GetFileName(folder) + ".csproj"))
            .Where(File.Exists)
            .ToDictionary(project => Path.GetFileNameWithoutExtension(project), References);

        documented.Should().BeEquivalentTo(actual);
    }

    private static IReadOnlyList<string> References(string project) =>
        Regex.Matches(File.ReadAllText(project), @"<ProjectReference Include=""\.\./([^/]+)/")
            .Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList();

    private static Dictionary<string, IReadOnlyList<string>> DocumentedGraph(string markdown)
    {
        var start = markdown.IndexOf("<!-- part-graph -->", StringComparison.Ordinal);
        var end = markdown.IndexOf("<!-- /part-graph -->", StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, "docs/architecture.md marks its part graph");
        return markdown[start..end].Split('\n')
            .Where(line => line.StartsWith("| Direkt", StringComparison.Ordinal))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .ToDictionary(cells => cells[1], cells => (IReadOnlyList<string>)(cells[2] == "—" ? []
                : cells[2].Split(", ").Order(StringComparer.Ordinal).ToList()));
    }
}
