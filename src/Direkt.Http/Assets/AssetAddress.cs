using Direkt.Assets;

namespace Direkt.Http.Assets;

/// <summary>
/// The part of an /assets URL after "/assets": the application path, then optionally "/-/" and selectors
/// (API.md §2): what (`new`, `modified`, `entry/{id}`, `recursive`) then how (`link`, `content`, `download`, `redirect`, `info`).
/// </summary>
internal sealed record AssetAddress(AssetPath Path, AssetSelector Selector, ReturnFormat ReturnFormat, bool Recursive)
{
    private const string Separator = "-";

    public static AssetAddress Parse(string pathAfterAssets, string method)
    {
        // Kestrel leaves an encoded slash as "%2F" in the path; it then fails the segment grammar below like any other '%'.
        var segments = pathAfterAssets.Length == 0 ? [] : pathAfterAssets.TrimStart('/').Split('/');
        var separator = Array.IndexOf(segments, Separator);
        var pathSegments = separator < 0 ? segments : segments[..separator];
        var path = AssetPath.TryCreate(pathSegments, out var problem)
            ?? throw AssetException.BadRequest($"Invalid asset path: {problem}.", Error("path", problem!));
        if (separator < 0) return new AssetAddress(path, AssetSelector.Newest, ReturnFormat.Link, false);

        var selectors = segments[(separator + 1)..];
        if (method is "POST") throw Bad("POST takes no selectors: post to the asset path itself.");
        if (selectors.Length == 0 || selectors is [""]) throw Bad("Expected selectors after '/-/'.");
        return ParseSelectors(path, selectors, method);
    }

    private static AssetAddress ParseSelectors(AssetPath path, string[] selectors, string method)
    {
        var i = 0;
        AssetSelector selector = AssetSelector.Newest;
        var recursive = false;
        switch (selectors[i])
        {
            case "new": i++; break;
            case "modified": selector = new AssetSelector.Ordered(AssetOrdering.Modified); i++; break;
            case "recursive":
                if (method is not "DELETE") throw Bad("'recursive' is a DELETE selector.");
                recursive = true;
                i++;
                break;
            case "entry":
                if (i + 1 >= selectors.Length) throw Bad("'entry' needs an id: /-/entry/{id}.");
                if (!long.TryParse(selectors[i + 1], System.Globalization.NumberStyles.None, null, out var id))
                    throw Bad($"Entry id '{Shorten(selectors[i + 1])}' is not a non-negative whole number.");
                selector = new AssetSelector.Entry(id);
                i += 2;
                break;
        }

        var format = ReturnFormat.Link;
        if (i < selectors.Length)
        {
            format = selectors[i] switch
            {
                "link" => ReturnFormat.Link,
                "content" => ReturnFormat.Content,
                "download" => ReturnFormat.Download,
                "redirect" => ReturnFormat.Redirect,
                "info" => ReturnFormat.Info,
                _ => throw Bad($"Unknown selector '{Shorten(selectors[i])}'. Expected new, modified, entry/{{id}}, then link, content, download, redirect or info."),
            };
            if (method is not ("GET" or "HEAD")) throw Bad($"'{selectors[i]}' is a return format and only applies to GET.");
            i++;
        }
        if (i < selectors.Length)
            throw Bad($"Unexpected selector '{Shorten(selectors[i])}': selectors are what (new, modified, entry/{{id}}) then how (link, content, download, redirect, info).");
        return new AssetAddress(path, selector, format, recursive);
    }

    private static AssetException Bad(string detail) => AssetException.BadRequest(detail, Error("selectors", detail));

    private static Dictionary<string, string[]> Error(string field, string message) => new() { [field] = [message] };

    private static string Shorten(string text) =>
        string.Concat(text.Take(40).Select(c => char.IsControl(c) ? '?' : c));
}
