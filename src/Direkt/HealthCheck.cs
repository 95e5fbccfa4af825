namespace Direkt;

/// <summary>
/// `Direkt health-check [url]`: exits 0 when the server's /health answers 200. Container images have no curl; this is
/// what the Dockerfile's HEALTHCHECK runs.
/// </summary>
public static class HealthCheck
{
    public static async Task<int> RunAsync(string[] args)
    {
        var url = args.Length > 1 ? args[1] : "http://127.0.0.1:8080/health";
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync(url);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"{url}: {e.Message}");
            return 1;
        }
    }
}
