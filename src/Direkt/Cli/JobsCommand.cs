using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Direkt.Configuration.Loading;
using Spectre.Console;

namespace Direkt.Cli;

/// <summary>
/// `Direkt jobs start|watch|cancel|list`: the /jobs API of a running server for operators. The server's URL is --url, else
/// 127.0.0.1 on http.port of the configuration; the API key is --api-key, else the environment variable
/// <see cref="ApiKeyVariable"/> (not a DIREKT_* name: those are configuration keys). `watch` draws a live progress bar, or
/// prints plain lines when the output is redirected. Exit codes: 0 done, 1 the job failed or was cancelled or the server
/// answered an error, 2 usage.
/// </summary>
internal static class JobsCommand
{
    public const string ApiKeyVariable = "DIREKTCLI_API_KEY";

    public const string Usage = """
        Direkt jobs start --kind pregenerate|purge|regenerate --path /products/** [--profile NAME]... [--transformation 'w=300&format=webp']...
                          [--dry-run] [--watch] [OPTIONS]
               Direkt jobs watch ID [OPTIONS]
               Direkt jobs cancel ID [OPTIONS]
               Direkt jobs list [--state queued|running|done|failed|cancelled] [OPTIONS]
        OPTIONS: --url http://localhost:8080 (default: 127.0.0.1 and http.port of the configuration), --config FILE,
                 --api-key KEY (default: the DIREKTCLI_API_KEY environment variable)
        """;

    private static readonly string[] Flags = ["--dry-run", "--watch"];
    private static readonly string[] Repeatable = ["--profile", "--transformation"];
    private static readonly string[] Valued = ["--kind", "--path", "--url", "--api-key", "--config", "--state"];

    private sealed record Options(string Verb, IReadOnlyList<string> Words, IReadOnlyDictionary<string, string> Values,
        IReadOnlyDictionary<string, List<string>> Lists, ISet<string> Set);

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var options = Parse(args);
        using var client = Client(options);
        return options.Verb switch
        {
            "start" => await StartAsync(client, options),
            "watch" => await WatchAsync(client, Id(options)),
            "cancel" => await CancelAsync(client, Id(options)),
            "list" => await ListAsync(client, options),
            _ => throw new UsageException($"unknown jobs verb '{options.Verb}'"),
        };
    }

    private static Options Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0) throw new UsageException("which jobs verb: start, watch, cancel or list?");
        var values = new Dictionary<string, string>();
        var lists = Repeatable.ToDictionary(r => r, _ => new List<string>());
        var set = new HashSet<string>();
        var words = new List<string>();
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (Flags.Contains(arg)) set.Add(arg);
            else if (Valued.Contains(arg) || Repeatable.Contains(arg))
            {
                if (i + 1 >= args.Count) throw new UsageException($"{arg} needs a value");
                if (Repeatable.Contains(arg)) lists[arg].Add(args[++i]);
                else values[arg] = args[++i];
            }
            else if (arg.StartsWith('-') && arg.Length > 1) throw new UsageException($"unknown option '{arg}'");
            else words.Add(arg);
        }
        return new Options(args[0], words, values, lists, set);
    }

    private static string Id(Options options) => options.Words is [var id] ? id : throw new UsageException("give one job id");

    private static HttpClient Client(Options options)
    {
        var url = options.Values.TryGetValue("--url", out var given) ? given : DefaultUrl(options);
        if (!Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out var address)) throw new UsageException($"--url {url} is not a URL");
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        var key = options.Values.TryGetValue("--api-key", out var k) ? k : Environment.GetEnvironmentVariable(ApiKeyVariable);
        if (!string.IsNullOrEmpty(key)) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static string DefaultUrl(Options options)
    {
        var port = DirektConfigurationLoader.Load(ConfigurationSource.FromProcess(options.Values.GetValueOrDefault("--config"))).Options.Http.Port;
        if (port == 0) throw new UsageException("http.port is 0 (a free port chosen at start): pass --url");
        return $"http://127.0.0.1:{port}";
    }

    private static async Task<int> StartAsync(HttpClient client, Options options)
    {
        if (options.Words.Count > 0) throw new UsageException($"unexpected argument '{options.Words[0]}'");
        if (!options.Values.TryGetValue("--kind", out var kind)) throw new UsageException("--kind is required");
        if (!options.Values.TryGetValue("--path", out var path)) throw new UsageException("--path is required");
        var body = new
        {
            kind, path, profiles = options.Lists["--profile"], transformations = options.Lists["--transformation"],
            dryRun = options.Set.Contains("--dry-run"),
        };
        var job = await SendAsync(() => client.PostAsJsonAsync("jobs", body));
        if (job is not { } started) return 1;
        var id = started.GetProperty("id").GetString()!;
        Console.WriteLine(id); // alone on stdout: `id=$(Direkt jobs start …)`
        await Console.Error.WriteLineAsync($"job {id} ({kind} {path}) {started.GetProperty("state").GetString()}");
        return options.Set.Contains("--watch") ? await WatchAsync(client, id) : 0;
    }

    private static async Task<int> CancelAsync(HttpClient client, string id)
    {
        if (await SendAsync(() => client.DeleteAsync($"jobs/{Uri.EscapeDataString(id)}")) is not { } job) return 1;
        Console.WriteLine(Line(job));
        return 0;
    }

    private static async Task<int> ListAsync(HttpClient client, Options options)
    {
        var query = options.Values.TryGetValue("--state", out var state) ? $"?state={Uri.EscapeDataString(state)}" : "";
        if (await SendAsync(() => client.GetAsync("jobs" + query)) is not { } page) return 1;
        foreach (var job in page.GetProperty("jobs").EnumerateArray()) Console.WriteLine(Line(job));
        return 0;
    }

    private static async Task<int> WatchAsync(HttpClient client, string id)
    {
        JsonElement? last = null;
        var path = $"jobs/{Uri.EscapeDataString(id)}";
        if (Console.IsOutputRedirected)
        {
            string? previous = null;
            while (await SendAsync(() => client.GetAsync(path)) is { } job)
            {
                last = job;
                var line = Line(job);
                if (line != previous) Console.WriteLine(previous = line);
                if (Finished(job)) break;
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
        else
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var bar = context.AddTask($"job {id}");
                    while (await SendAsync(() => client.GetAsync(path)) is { } job)
                    {
                        last = job;
                        bar.MaxValue = Math.Max(1, job.GetProperty("total").GetInt64());
                        bar.Value = Processed(job);
                        bar.Description = Markup.Escape($"{job.GetProperty("kind").GetString()} {job.GetProperty("path").GetString()}: " +
                            $"{job.GetProperty("state").GetString()}, {job.GetProperty("skipped").GetInt64()} skipped, {job.GetProperty("failed").GetInt64()} failed");
                        if (Finished(job))
                        {
                            bar.StopTask();
                            break;
                        }
                        await Task.Delay(TimeSpan.FromMilliseconds(250));
                    }
                });
            if (last is { } final) Console.WriteLine(Line(final));
        }
        if (last is not { } end) return 1;
        foreach (var error in end.GetProperty("errors").EnumerateArray())
            await Console.Error.WriteLineAsync($"  {error.GetProperty("path").GetString()}: {error.GetProperty("problem").GetString()}");
        return end.GetProperty("state").GetString() == "done" ? 0 : 1;
    }

    private static long Processed(JsonElement job) =>
        job.GetProperty("done").GetInt64() + job.GetProperty("skipped").GetInt64() + job.GetProperty("failed").GetInt64();

    private static bool Finished(JsonElement job) => job.GetProperty("state").GetString() is "done" or "failed" or "cancelled";

    private static string Line(JsonElement job)
    {
        var rate = job.TryGetProperty("ratePerSecond", out var r) && r.ValueKind == JsonValueKind.Number ? $" {r.GetDouble():0.#}/s" : "";
        var eta = job.TryGetProperty("etaSeconds", out var e) && e.ValueKind == JsonValueKind.Number && !Finished(job) ? $" eta {e.GetDouble():0}s" : "";
        var purged = job.GetProperty("purgedVariants").GetInt64() is > 0 and var n
            ? $" purged {n} ({job.GetProperty("purgedBytes").GetInt64()} B{(job.GetProperty("dryRun").GetBoolean() ? ", dry run" : "")})" : "";
        return $"{job.GetProperty("id").GetString()} {job.GetProperty("kind").GetString()} {job.GetProperty("path").GetString()} " +
            $"{job.GetProperty("state").GetString()} {Processed(job)}/{job.GetProperty("total").GetInt64()} " +
            $"(done {job.GetProperty("done").GetInt64()}, skipped {job.GetProperty("skipped").GetInt64()}, failed {job.GetProperty("failed").GetInt64()})" +
            rate + eta + purged;
    }

    // The answer's JSON, or null after printing the server's problem (or why it could not be reached) to stderr.
    private static async Task<JsonElement?> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            using var response = await send();
            var text = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode) return JsonDocument.Parse(text).RootElement.Clone();
            var detail = text;
            try
            {
                using var problem = JsonDocument.Parse(text);
                detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() ?? text : text;
                if (problem.RootElement.TryGetProperty("errors", out var errors))
                    detail += " " + string.Join("; ", errors.EnumerateObject().Select(p => $"{p.Name}: {string.Join(", ", p.Value.EnumerateArray().Select(v => v.GetString()))}"));
            }
            catch (JsonException)
            {
            }
            await Console.Error.WriteLineAsync($"{(int)response.StatusCode} {response.ReasonPhrase}: {detail}");
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"the server cannot be reached: {e.Message}");
            return null;
        }
    }
}
