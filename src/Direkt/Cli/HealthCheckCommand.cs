using Direkt.Configuration.Loading;

namespace Direkt.Cli;

/// <summary>
/// `Direkt health-check [URL]`: exits 0 when the server's /health answers 200. Container images have no curl; this is what
/// the Dockerfile's HEALTHCHECK runs. Without a URL it asks 127.0.0.1 on `http.port` of the same configuration the server
/// reads (file and DIREKT_* variables), so moving the port does not break the check.
/// </summary>
internal static class HealthCheckCommand
{
    public static async Task<int> RunAsync(CommandArguments arguments)
    {
        if (arguments.Words.Count > 1) throw new UsageException($"unexpected argument '{arguments.Words[1]}'");
        var url = arguments.Words.Count == 1 ? arguments.Words[0] : DefaultUrl(arguments);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync(url);
            if (response.IsSuccessStatusCode) return 0;
            await Console.Error.WriteLineAsync($"{url}: {(int)response.StatusCode}");
            return 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or UriFormatException)
        {
            await Console.Error.WriteLineAsync($"{url}: {e.Message}");
            return 1;
        }
    }

    private static string DefaultUrl(CommandArguments arguments)
    {
        var port = DirektConfigurationLoader.Load(arguments.Source()).Options.Http.Port;
        if (port == 0) throw new UsageException("http.port is 0 (a free port chosen at start): pass the server's URL");
        return $"http://127.0.0.1:{port}/health";
    }
}
