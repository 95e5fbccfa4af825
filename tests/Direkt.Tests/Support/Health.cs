namespace Direkt.Tests.Support;

/// <summary>Waiting for a server started as a real process.</summary>
public static class Health
{
    /// <summary>Returns once /health answers 2xx; fails the test after a minute.</summary>
    public static async Task WaitAsync(HttpClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                if ((await client.GetAsync("/health", timeout.Token)).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100, timeout.Token);
        }
    }
}
