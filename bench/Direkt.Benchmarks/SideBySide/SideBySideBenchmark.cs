namespace Direkt.Benchmarks.SideBySide;

/// <summary>
/// Issue 11's side-by-side run: Direkt over HTTP next to nginx and a bare Kestrel app serving the same variant files
/// (hits), next to ipx and the in-process NetVips limit (misses), on real photos. The machine's speed drifts by a third
/// within minutes, so each round runs every contender once, one after the other, and the report is per-round ratios and
/// their medians, never absolute numbers from different minutes.
/// </summary>
internal static class SideBySideBenchmark
{
    private const string Transformation = "w=800&format=jpg&q=80";

    // Misses vary the width over 700…900 px; each round uploads the photos this many times over, so a round has
    // photos × 201 × copies unique URLs (3 216 for 8 photos): enough for 15 s up to about 200 variants/s.
    private const int MissCopies = 2;

    public static async Task<int> RunAsync(SideBySideOptions o)
    {
        // Not CreateTempSubdirectory: its 0700 mode would keep nginx's unprivileged workers out of the static files.
        var work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"direkt-side-by-side-{Environment.ProcessId}")).FullName;
        Children.TrackFolder(work);
        try
        {
            return await RunAsync(o, work);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); }
            catch (IOException) { } // already removed by an interruption (Children)
        }
    }

    private static async Task<int> RunAsync(SideBySideOptions o, string work)
    {
        var photos = Directory.GetFiles(Path.Combine(o.Corpus, "photos"), "*.jpg").Order(StringComparer.Ordinal).ToList();
        if (photos.Count == 0) throw new InvalidOperationException($"no photos in {o.Corpus}/photos: run ../shared/bench/corpus.sh {o.Corpus}");
        var stems = photos.Select(p => Path.GetFileNameWithoutExtension(p)).ToList();
        var wrk = new Wrk(Path.Combine(o.Repository, "bench", "wrk", "urls.lua"), work);
        var workers = 2 * Environment.ProcessorCount; // Direkt's default pool size (variant-generation.workers = 0)
        var environment = RunEnvironment.Describe(o, photos, workers);
        Console.WriteLine(environment);

        // Direkt with its defaults: only the port and the data folder (its working directory) are its own.
        await using var direkt = await ServerProcess.StartAsync(ChildProcess.FreePort(), new Dictionary<string, string?>
        {
            ["DIREKT_SOURCE__MULTIPART__MAX_BYTES"] = null,
        });
        // The same server without decoded originals kept (decode-cache.memory = 0), for misses only: every miss decodes its
        // original, as ipx and the limit do, so this pair shows the work per decode apart from the cache's share.
        await using var decoding = await ServerProcess.StartAsync(ChildProcess.FreePort(), new Dictionary<string, string?>
        {
            ["DIREKT_SOURCE__MULTIPART__MAX_BYTES"] = null,
            ["DIREKT_DECODE_CACHE__MEMORY"] = "0",
        });
        Log("uploading the corpus");
        var manyStem = stems[0];
        var uploads = stems.Select(s => ($"/bench/hit/{s}", s)).Append(($"/bench/one/{manyStem}", manyStem)).Append(($"/bench/many/{manyStem}", manyStem))
            .Concat(Enumerable.Range(0, o.Rounds + 1).SelectMany(r => Enumerable.Range(0, MissCopies).SelectMany(c => stems.Select(s => ($"/bench/miss{r}c{c}/{s}", s)))));
        foreach (var (path, stem) in uploads) await Load.UploadAsync(direkt.Client, path, photos[stems.IndexOf(stem)]);
        foreach (var (path, stem) in uploads.Where(u => u.Item1.StartsWith("/bench/miss", StringComparison.Ordinal)))
            await Load.UploadAsync(decoding.Client, path, photos[stems.IndexOf(stem)]);

        Log("making the hit variants; nginx and Kestrel serve the very same bytes");
        var staticRoot = Directory.CreateDirectory(Path.Combine(work, "static")).FullName;
        foreach (var stem in stems)
            await File.WriteAllBytesAsync(Path.Combine(staticRoot, stem + ".jpg"), await direkt.Client.GetByteArrayAsync($"/assets/bench/hit/{stem}/-/content?{Transformation}"));
        Log($"making 1000 variants of /bench/many/{manyStem} (w=100…1099) and 1 of /bench/one/{manyStem}");
        await Load.RunAsync(direkt.Client, Enumerable.Range(100, 1000).Select(w => $"/assets/bench/many/{manyStem}/-/content?w={w}&format=jpg&q=80").ToList(), 8);
        await direkt.Client.GetByteArrayAsync($"/assets/bench/one/{manyStem}/-/content?{Transformation}");

        Log("starting nginx, the Kestrel static app and ipx");
        var nginxPort = ChildProcess.FreePort();
        await using var nginx = await ChildProcess.StartAsync("nginx", "nginx", ["-c", Nginx.WriteConfig(work, staticRoot, nginxPort), "-g", "daemon off;"], nginxPort);
        var kestrelPort = ChildProcess.FreePort();
        await using var kestrel = await ChildProcess.StartAsync("kestrel-static", "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "Direkt.Benchmarks.dll"), "static-files", staticRoot, kestrelPort.ToString()], kestrelPort);
        var ipxPort = ChildProcess.FreePort();
        await using var ipx = await ChildProcess.StartAsync("ipx", "node", [Path.Combine(o.Peers, "ipx-server.mjs"), Path.Combine(o.Corpus, "photos"), ipxPort.ToString()], ipxPort);

        var direktUrl = direkt.Client.BaseAddress!.ToString().TrimEnd('/');
        string Url(int port) => $"http://127.0.0.1:{port}";
        var hitDirekt = wrk.WriteList("hit-direkt", stems.Select(s => $"/assets/bench/hit/{s}/-/content?{Transformation}"));
        var hitStatic = wrk.WriteList("hit-static", stems.Select(s => $"/{s}.jpg"));
        var hitMany = wrk.WriteList("hit-many", [$"/assets/bench/many/{manyStem}/-/content?{Transformation}"]);
        var hitOne = wrk.WriteList("hit-one", [$"/assets/bench/one/{manyStem}/-/content?{Transformation}"]);
        // Misses: the same photo × width sequence for every contender; Direkt gets fresh uploads of the photos per round,
        // so every request of a round is a variant it has never made. ipx and the limit keep no results.
        var sequence = Enumerable.Range(0, stems.Count * 201 * MissCopies)
            .Select(k => (Stem: stems[k % stems.Count], Photo: photos[k % stems.Count], Width: 700 + k / stems.Count % 201, Copy: k / (stems.Count * 201)))
            .ToList();
        string MissDirekt(int round) => wrk.WriteList($"miss-direkt-{round}",
            sequence.Select(m => $"/assets/bench/miss{round}c{m.Copy}/{m.Stem}/-/content?w={m.Width}&format=jpg&q=80"));
        var missIpx = wrk.WriteList("miss-ipx", sequence.Select(m => $"/w_{m.Width},f_jpeg,q_80/{m.Stem}.jpg"));
        var missLimit = wrk.WriteList("miss-limit", sequence.Select(m => $"{m.Photo}\t{m.Width}"));

        Log("warming up every contender (not counted)");
        var warm = TimeSpan.FromSeconds(3);
        await wrk.RunAsync(direktUrl, hitDirekt, 50, warm);
        await wrk.RunAsync(Url(nginxPort), hitStatic, 50, warm);
        await wrk.RunAsync(Url(kestrelPort), hitStatic, 50, warm);
        await wrk.RunAsync(direktUrl, MissDirekt(0), 8, warm);
        var decodingUrl = decoding.Client.BaseAddress!.ToString().TrimEnd('/');
        await wrk.RunAsync(decodingUrl, MissDirekt(0), 8, warm);
        await wrk.RunAsync(Url(ipxPort), missIpx, 8, warm);

        var rounds = new List<Round>();
        for (var r = 1; r <= o.Rounds; r++)
        {
            var round = new Round(r);
            async Task Measure(string key, Task<Measurement> run)
            {
                var m = await run;
                round.Results[key] = m;
                Console.WriteLine($"  {key,-28} {m}");
                if (m.Errors > 0) Console.Error.WriteLine($"warning: {key}: {m.Errors} failed requests");
                if (m.Wrapped > 0 && key.StartsWith("misses")) Console.Error.WriteLine($"warning: {key}: the miss list ran out, {m.Wrapped} requests were repeats");
            }
            Console.WriteLine($"\nround {r} of {o.Rounds} ({DateTime.UtcNow:HH:mm:ss} UTC)");
            await Measure(Keys.DirektHit, wrk.RunAsync(direktUrl, hitDirekt, 50, o.HitDuration));
            await Measure(Keys.NginxHit, wrk.RunAsync(Url(nginxPort), hitStatic, 50, o.HitDuration));
            await Measure(Keys.KestrelHit, wrk.RunAsync(Url(kestrelPort), hitStatic, 50, o.HitDuration));
            await Measure(Keys.ManyHit, wrk.RunAsync(direktUrl, hitMany, 50, o.HitDuration));
            await Measure(Keys.OneHit, wrk.RunAsync(direktUrl, hitOne, 50, o.HitDuration));
            var missList = MissDirekt(r);
            direkt.ResetPeak();
            await Measure(Keys.DirektMiss, wrk.RunAsync(direktUrl, missList, 8, o.MissDuration));
            round.PeakRssBytes = direkt.PeakResidentBytes;
            Console.WriteLine($"  {"Direkt peak RSS (VmHWM)",-28} {round.PeakRssBytes / 1048576.0:0} MiB");
            await Measure(Keys.DirektMissDecoding, wrk.RunAsync(decodingUrl, missList, 8, o.MissDuration));
            await Measure(Keys.IpxMiss, wrk.RunAsync(Url(ipxPort), missIpx, 8, o.MissDuration));
            await Measure(Keys.LimitMiss, ThumbnailLimit.MeasureAsync(missLimit, workers, o.MissDuration));
            Console.WriteLine(Report.RoundRatios(round));
            rounds.Add(round);
        }

        List<QualityScore> quality = [];
        if (!o.SkipQuality)
        {
            Log("quality: jpg, webp, avif at 800 px, q=80 — Direkt, vips CLI, sharp; SSIM with ffmpeg");
            quality = await new QualityComparison(Directory.CreateDirectory(Path.Combine(work, "quality")).FullName, o.Peers)
                .RunAsync(photos, async (photo, format, query) =>
                {
                    var url = $"/assets/bench/hit/{Path.GetFileNameWithoutExtension(photo)}/-/content?w=800&format={format}&q=80";
                    using var response = await direkt.Client.GetAsync(url + query);
                    // Builds before lean variants know no strip=none: their default keeps the metadata.
                    if (response.StatusCode == System.Net.HttpStatusCode.BadRequest && query == "&strip=none")
                        return await direkt.Client.GetByteArrayAsync(url);
                    return await response.EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync();
                });
        }

        var markdown = Report.Markdown(environment, rounds, quality, workers, manyStem, o);
        Console.WriteLine("\n" + markdown);
        Directory.CreateDirectory(Path.GetDirectoryName(o.Out)!);
        await File.WriteAllTextAsync(o.Out, markdown);
        Log($"written to {o.Out}");
        return 0;
    }

    private static void Log(string message) => Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}

/// <summary>Names of the measurements of a round.</summary>
internal static class Keys
{
    public const string DirektHit = "hits Direkt", NginxHit = "hits nginx", KestrelHit = "hits Kestrel static",
        ManyHit = "hits 1000-variant asset", OneHit = "hits 1-variant asset",
        DirektMiss = "misses Direkt", IpxMiss = "misses ipx", LimitMiss = "misses in-process limit",
        DirektMissDecoding = "misses Direkt, no decode-cache";
}

internal sealed class Round(int number)
{
    public int Number { get; } = number;
    public Dictionary<string, Measurement> Results { get; } = [];
    public long PeakRssBytes { get; set; }
}

/// <summary>nginx as Debian ships it, configured for static files the usual fast way.</summary>
internal static class Nginx
{
    public static string WriteConfig(string work, string root, int port)
    {
        var dir = Directory.CreateDirectory(Path.Combine(work, "nginx")).FullName;
        var config = Path.Combine(dir, "nginx.conf");
        // Temp paths inside the run's folder: nginx must not need /var/lib/nginx or write the system's logs.
        File.WriteAllText(config, $$"""
            worker_processes {{Environment.ProcessorCount}};
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log;
            events { worker_connections 1024; }
            http {
              access_log off;
              sendfile on;
              tcp_nopush on;
              client_body_temp_path {{dir}}/body;
              proxy_temp_path {{dir}}/proxy;
              fastcgi_temp_path {{dir}}/fastcgi;
              uwsgi_temp_path {{dir}}/uwsgi;
              scgi_temp_path {{dir}}/scgi;
              types { image/jpeg jpg; }
              server {
                listen 127.0.0.1:{{port}};
                root {{root}};
              }
            }
            """);
        return config;
    }
}
