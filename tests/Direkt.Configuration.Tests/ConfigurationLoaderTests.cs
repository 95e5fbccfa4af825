using Direkt.Configuration.Options;
using Direkt.Configuration.Loading;
using Direkt.TestServices;

namespace Direkt.Configuration.Tests;

public sealed class ConfigurationLoaderTests : IDisposable
{
    private readonly ConfigurationFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static DirektConfiguration Load(string? file = null, Dictionary<string, string>? env = null, string? overrides = null) =>
        DirektConfigurationLoader.Load(new ConfigurationSource
        {
            FilePath = file,
            Environment = env ?? new Dictionary<string, string>(),
            Overrides = overrides,
        });

    private DirektConfigurationException LoadFails(string content, Dictionary<string, string>? env = null)
    {
        var path = _files.Write("direkt.conf", content);
        var act = () => Load(path, env);
        return act.Should().Throw<DirektConfigurationException>().Which;
    }

    [Fact]
    public void Built_in_defaults_are_the_values_documented_in_CONFIG_md()
    {
        var o = Load(_files.Write("empty.conf", "")).Options;

        o.Http.Port.Should().Be(8080);
        o.Http.PublicUrl.Should().Be("http://localhost:8080");
        o.Http.AdminPort.Should().BeNull();
        o.DataStore.Provider.Should().Be("sqlite");
        o.DataStore.Sqlite.Path.Should().Be("data/direkt.db");
        o.DataStore.Postgresql.PoolSize.Should().Be(50);
        o.ObjectStore.Provider.Should().Be("filesystem");
        o.ObjectStore.Filesystem.Root.Should().Be("data/objects");
        o.ObjectStore.S3.EndpointUrl.Should().BeNull();
        o.ObjectStore.S3.ChunkedEncoding.Should().BeTrue();
        o.Source.Multipart.MaxBytes.Should().Be(100_000_000);
        o.Source.Url.Timeout.Should().Be(TimeSpan.FromSeconds(30));
        o.Source.Url.MaxRedirects.Should().Be(3);
        o.Limits.MaxSourcePixels.Should().Be(268402689);
        o.Limits.MaxOutputDimension.Should().Be(8192);
        o.Limits.MaxAnimationFrames.Should().Be(500);
        o.VariantGeneration.Workers.Should().Be(0);
        o.VariantGeneration.QueueSize.Should().Be(1000);
        o.VariantGeneration.SynchronousPriority.Should().Be(80);
        o.VariantGeneration.EnqueueTimeout.Should().Be(TimeSpan.FromSeconds(5));
        o.VariantGeneration.JobTimeout.Should().Be(TimeSpan.FromSeconds(60));
        o.VariantGeneration.ShutdownGrace.Should().Be(TimeSpan.FromSeconds(30));
        o.VariantProfiles["thumbnail"].ToParameters().Should().Equal(new Dictionary<string, string>
        {
            ["w"] = "256", ["h"] = "256", ["fit"] = "crop", ["g"] = "attention", ["format"] = "webp",
        });
        o.UrlSigning.Algorithm.Should().Be("hmac_sha256");
        o.Auth.ApiKeys.Should().BeEmpty();
    }

    [Fact]
    public void Root_path_policy_has_the_documented_defaults()
    {
        var policy = Load().Paths.Resolve("/users/123/avatar");

        policy.AllowedContentTypes.Should().BeNull();
        policy.Transform.Negotiate.Should().Equal("webp");
        policy.Transform.OnDemandVariant.Mode.Should().Be(OnDemandMode.Enabled);
        policy.Transform.Expire.Strategy.Should().Be(ExpireStrategy.Never);
        policy.ObjectStore.Bucket.Should().Be("assets");
        policy.ReturnFormat.Redirect.Strategy.Should().Be(RedirectStrategy.None);
        policy.ReturnFormat.Redirect.Presigned.Ttl.Should().Be(TimeSpan.FromMinutes(30));
        policy.CacheControl.Enabled.Should().BeNull("the single value of earlier versions is unset: entry and selector apply");
        policy.CacheControl.Entry.Should().BeEquivalentTo(new { Enabled = true, Visibility = "public", MaxAge = 31536000, Immutable = true });
        policy.CacheControl.Selector.Should().BeEquivalentTo(
            new { Enabled = true, Visibility = "public", MaxAge = 60, Revalidate = "must-revalidate", Immutable = false });
    }

    [Fact]
    public void The_shipped_config_file_loads_to_the_built_in_defaults()
    {
        var fromFile = Load(RepositoryRoot.File("config/direkt.conf"));
        var builtIn = Load(_files.Write("empty.conf", ""));

        fromFile.Options.Should().BeEquivalentTo(builtIn.Options);
    }

    [Fact]
    public void File_values_use_HOCON_durations_sizes_dotted_keys_and_comments()
    {
        var path = _files.Write("direkt.conf", """
            // operators write it like this
            http { port: 9090, public-url = "https://img.example.com" }
            variant-generation.job-timeout = 2m   # two minutes
            variant-generation { enqueue-timeout = 250ms, memory-budget = 1GiB }
            source.multipart.max-bytes = 5MB
            limits { max-output-dimension = 4096 }
            variant-profiles.small { w = 64, format = png }
            """);

        var o = Load(path).Options;

        o.Http.Port.Should().Be(9090);
        o.Http.PublicUrl.Should().Be("https://img.example.com");
        o.VariantGeneration.JobTimeout.Should().Be(TimeSpan.FromMinutes(2));
        o.VariantGeneration.EnqueueTimeout.Should().Be(TimeSpan.FromMilliseconds(250));
        o.VariantGeneration.MemoryBudget.Should().Be(1L << 30);
        o.Source.Multipart.MaxBytes.Should().Be(5_000_000);
        o.Limits.MaxOutputDimension.Should().Be(4096);
        o.VariantProfiles.Keys.Should().BeEquivalentTo("thumbnail", "small");
        o.VariantProfiles["small"].ToParameters().Should().Equal(new Dictionary<string, string> { ["w"] = "64", ["format"] = "png" });
    }

    [Fact]
    public void Includes_and_environment_substitutions_work_in_the_file()
    {
        _files.Write("secrets.conf", "object-store.s3 { access-key = AKIA1, secret-key = ${?TEST_SECRET} }");
        var path = _files.Write("direkt.conf", """
            include "secrets.conf"
            http.public-url = ${?PUBLIC_URL}
            """);

        var o = Load(path, new() { ["TEST_SECRET"] = "s3cr3t", ["PUBLIC_URL"] = "https://cdn.example.org" }).Options;

        o.ObjectStore.S3.AccessKey.Should().Be("AKIA1");
        o.ObjectStore.S3.SecretKey.Should().Be("s3cr3t");
        o.Http.PublicUrl.Should().Be("https://cdn.example.org");
    }

    [Fact]
    public void An_unset_optional_substitution_keeps_the_default()
    {
        var path = _files.Write("direkt.conf", "http.public-url = ${?NOT_SET_ANYWHERE}");

        Load(path).Options.Http.PublicUrl.Should().Be("http://localhost:8080");
    }

    [Fact]
    public void Environment_overrides_the_file_which_overrides_the_defaults()
    {
        var path = _files.Write("direkt.conf", "variant-generation { workers = 4, queue-size = 10 }");

        var o = Load(path, new()
        {
            ["DIREKT_VARIANT_GENERATION__WORKERS"] = "12",
            ["DIREKT_VARIANT_GENERATION__JOB_TIMEOUT"] = "90s",
            ["DIREKT_VARIANT_PROFILES__TINY__W"] = "16",
        }).Options;

        o.VariantGeneration.Workers.Should().Be(12);       // environment › file
        o.VariantGeneration.QueueSize.Should().Be(10);     // file › default
        o.VariantGeneration.JobTimeout.Should().Be(TimeSpan.FromSeconds(90));
        o.VariantGeneration.SynchronousPriority.Should().Be(80); // default
        o.VariantProfiles["tiny"].ToParameters()["w"].Should().Be("16");
    }

    [Fact]
    public void Short_secret_names_set_their_keys_and_the_long_form_wins()
    {
        var o = Load(env: new()
        {
            ["S3_ACCESS_KEY"] = "short-access",
            ["S3_SECRET_KEY"] = "short-secret",
            ["PG_PASSWORD"] = "pg-pass",
            ["URL_SIGNING_SECRET_KEY"] = "sign-key",
            ["DIREKT_OBJECT_STORE__S3__ACCESS_KEY"] = "long-access",
        }).Options;

        o.ObjectStore.S3.AccessKey.Should().Be("long-access");
        o.ObjectStore.S3.SecretKey.Should().Be("short-secret");
        o.DataStore.Postgresql.Password.Should().Be("pg-pass");
        o.UrlSigning.SecretKey.Should().Be("sign-key");
    }

    [Fact]
    public void An_environment_list_replaces_the_file_list_instead_of_overlaying_it()
    {
        var tree = EnvironmentOverrides.Build(new Dictionary<string, string>
        {
            ["DIREKT_SOURCE__URL__ALLOWED_DOMAINS"] = "[a.example.com]",
            ["DIREKT_API_KEYS"] = "key-one-0123456789, key-two-0123456789",
        });
        var file = Direkt.Hocon.HoconParser.Parse("source.url.allowed-domains = [x.org, y.org, z.org]");

        var merged = tree.WithFallback(file);

        ((Direkt.Hocon.HoconArray)merged.GetPath("source.url.allowed-domains")!).Items
            .Select(i => ((Direkt.Hocon.HoconScalar)i).Value).Should().Equal("a.example.com");
        ((Direkt.Hocon.HoconArray)merged.GetPath("auth.api-keys")!).Items
            .Select(i => ((Direkt.Hocon.HoconScalar)i).Value).Should().Equal("key-one-0123456789", "key-two-0123456789");
    }

    [Fact]
    public void A_wrongly_typed_value_names_key_value_and_what_is_allowed()
    {
        var error = LoadFails("variant-generation.workers = many");

        error.Errors.Should().ContainSingle();
        error.Message.Should().Contain("variant-generation.workers").And.Contain("\"many\"").And.Contain("whole number");
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var error = LoadFails("""
            variant-generation { workers = -1, synchronous-priority = 100, job-timeout = soon }
            data-store.provider = mysql
            http.public-url = "ftp://x"
            """);

        error.Message.Should().Contain("variant-generation.job-timeout").And.Contain("duration");
        // Range checks run once the shapes are right; fix the duration and the rest appear together.
        var second = LoadFails("""
            variant-generation { workers = -1, synchronous-priority = 100 }
            data-store.provider = mysql
            http.public-url = "ftp://x"
            """);
        second.Errors.Select(e => e.Key).Should().BeEquivalentTo(
            "variant-generation.workers", "variant-generation.synchronous-priority", "data-store.provider", "http.public-url");
        second.Message.Should().Contain("between 1 and 99").And.Contain("sqlite, postgresql, in-memory").And.Contain("\"mysql\"");
    }

    [Fact]
    public void The_decode_cache_and_the_avif_effort_have_defaults_and_ranges()
    {
        var defaults = Load().Options;
        (defaults.DecodeCache.Memory, defaults.DecodeCache.MaxObjectSize).Should().Be((128L * 1024 * 1024, 32L * 1024 * 1024));
        defaults.VariantGeneration.AvifEffort.Should().Be(3);
        Load(_files.Write("cache.conf", "decode-cache { memory = 0, max-object-size = 8MiB }\nvariant-generation.avif-effort = 4"))
            .Options.Should().Match<Direkt.Configuration.Options.DirektOptions>(o =>
                o.DecodeCache.Memory == 0 && o.DecodeCache.MaxObjectSize == 8L * 1024 * 1024 && o.VariantGeneration.AvifEffort == 4);

        LoadFails("variant-generation.avif-effort = 10").Message.Should().Contain("variant-generation.avif-effort").And.Contain("between 0 and 9");
        LoadFails("decode-cache.memory = -1").Errors.Should().ContainSingle().Which.Key.Should().Be("decode-cache.memory");
        LoadFails("decode-cache.max-object-size = lots").Message.Should().Contain("decode-cache.max-object-size");
    }

    [Fact]
    public void The_admin_port_is_a_port_other_than_http_port()
    {
        Load(_files.Write("admin.conf", "http { port = 8080, admin-port = 9090 }")).Options.Http.AdminPort.Should().Be(9090);
        Load(env: new() { ["DIREKT_HTTP__ADMIN_PORT"] = "9191" }).Options.Http.AdminPort.Should().Be(9191);

        var same = LoadFails("http { port = 8080, admin-port = 8080 }");
        same.Errors.Should().ContainSingle().Which.Key.Should().Be("http.admin-port");
        same.Message.Should().Contain("must differ from http.port (8080)");
        LoadFails("http.admin-port = 0").Message.Should().Contain("http.admin-port").And.Contain("between 1 and 65535");
        LoadFails("http.admin-port = 70000").Message.Should().Contain("http.admin-port").And.Contain("between 1 and 65535");
        LoadFails("http.admin-port = metrics").Message.Should().Contain("http.admin-port").And.Contain("whole number");
    }

    [Fact]
    public void An_unknown_key_is_reported_with_a_suggestion()
    {
        var error = LoadFails("variant-generation { worker = 3 }\nlimits.max-pixels = 5");

        error.Errors.Select(e => e.Key).Should().BeEquivalentTo("variant-generation.worker", "limits.max-pixels");
        error.Errors.First(e => e.Key == "variant-generation.worker").Problem.Should().Contain("did you mean 'workers'");
        error.Message.Should().Contain("direkt.conf:1");
    }

    [Fact]
    public void An_unknown_environment_key_is_reported_with_its_variable()
    {
        var act = () => Load(env: new() { ["DIREKT_VARIANT_GENERATION__WORKRS"] = "3" });

        act.Should().Throw<DirektConfigurationException>()
            .WithMessage("*variant-generation.workrs*did you mean 'workers'*DIREKT_VARIANT_GENERATION__WORKRS*");
    }

    [Fact]
    public void A_syntax_error_names_the_file_and_line()
    {
        var error = LoadFails("http {\n  port = 8080\n  public-url = \"unterminated\n}");

        error.Message.Should().Contain("direkt.conf").And.Contain("3");
    }

    [Fact]
    public void A_named_configuration_file_must_exist()
    {
        var act = () => Load(Path.Combine(_files.Folder, "missing.conf"));

        act.Should().Throw<DirektConfigurationException>().WithMessage("*missing.conf*does not exist*");
    }

    [Fact]
    public void An_object_where_a_value_belongs_is_refused()
    {
        LoadFails("http.port { value = 1 }").Message.Should().Contain("http.port").And.Contain("single value");
        LoadFails("paths = [1]").Message.Should().Contain("paths").And.Contain("object");
        LoadFails("""paths { "/a/**" { transform.negotiate = webp } }""").Message
            .Should().Contain("paths.\"/a/**\".transform.negotiate").And.Contain("list");
    }

    [Fact]
    public void Eager_variants_must_name_existing_profiles()
    {
        var error = LoadFails("""paths { "/products/**" { transform.eager-variants = [thumbnail, hero] } }""");

        error.Message.Should().Contain("paths.\"/products/**\".transform.eager-variants[1]").And.Contain("\"hero\"")
            .And.Contain("no such profile");
    }

    [Fact]
    public void Path_policy_values_are_validated_with_their_pattern_in_the_key()
    {
        var error = LoadFails("""
            paths {
              "/users/**" { transform.on-demand-variant.mode = sometimes, object-store.bucket = "Bad_Bucket" }
              "/docs/*" { allowed-content-types = [jpg, text/html] }
            }
            """);

        error.Errors.Select(e => e.Key).Should().BeEquivalentTo(
            "paths.\"/users/**\".transform.on-demand-variant.mode",
            "paths.\"/users/**\".object-store.bucket",
            "paths.\"/docs/*\".allowed-content-types[1]");
    }

    [Fact]
    public void Redirect_templates_with_script_urls_are_refused()
    {
        LoadFails("""paths { "/**" { return-format.redirect.template.string = "javascript:alert(1)//{key}" } }""")
            .Message.Should().Contain("'javascript:' URLs are refused");
    }

    [Theory]
    [InlineData("""paths { "/**" { return-format.redirect.strategy = presigned } }""", "need object-store.provider = s3")]
    [InlineData("""paths { "/**" { return-format.redirect.strategy = template } }""", "required when redirect.strategy = template")]
    [InlineData("""paths { "/**" { return-format.redirect { strategy = template, template.string = "https://cdn.example.com/x" } } }""", "must contain {key}")]
    [InlineData("""paths { "/**" { return-format.redirect { strategy = template, template.string = "/{bucket}/{key}" } } }""", "absolute http")]
    [InlineData("object-store.provider = s3\npaths { \"/**\" { return-format.redirect { strategy = presigned, presigned.ttl = 8d } } }", "at most 7 days")]
    public void Redirect_strategies_are_checked_against_the_store_and_template(string content, string problem)
    {
        LoadFails(content).Message.Should().Contain("return-format.redirect").And.Contain(problem);
    }

    [Fact]
    public void The_compose_example_configuration_is_valid()
    {
        var o = Load(RepositoryRoot.File("docker/config/direkt.conf"), new() { ["S3_ACCESS_KEY"] = "minio", ["S3_SECRET_KEY"] = "minio-secret" }).Options;

        o.ObjectStore.Provider.Should().Be("s3");
        o.ObjectStore.S3.AccessKey.Should().Be("minio");
        o.DataStore.Provider.Should().Be("postgresql");
        // The folder is mounted, not the file, so that editors saving by rename keep hot reload working.
        var compose = File.ReadAllText(RepositoryRoot.File("docker/compose.yaml"));
        compose.Should().Contain("- ./config:/app/config:ro").And.NotContain("direkt.conf:/app/config/direkt.conf");
        compose.Should().Contain("\"127.0.0.1:8080:8080\"", "compose sets no API keys, so Direkt listens on loopback only");
    }

    [Fact]
    public void Kubernetes_service_link_variables_are_not_taken_for_unknown_keys()
    {
        var o = Load(env: new()
        {
            ["DIREKT_PORT"] = "tcp://10.0.0.7:8080", ["DIREKT_PORT_8080_TCP_ADDR"] = "10.0.0.7",
            ["DIREKT_SERVICE_HOST"] = "10.0.0.7", ["DIREKT_SERVICE_PORT"] = "8080", ["DIREKT_HTTP__PORT"] = "9000",
        }).Options;

        o.Http.Port.Should().Be(9000);
        LoadFails("", new() { ["DIREKT_PORTS"] = "1" }).Message.Should().Contain("ports");
        Load(env: new() { ["DIREKT_SERVICE_HOST"] = "10.0.0.7" }).Warnings.Should().ContainSingle()
            .Which.Should().Contain("DIREKT_SERVICE_HOST").And.Contain("skipped");
    }

    [Theory]
    [InlineData("ab#cd")]
    [InlineData("ab // cd")]
    [InlineData("#starts-with-hash")]
    [InlineData("x//y")]
    public void An_environment_value_with_a_comment_sign_is_taken_literally(string secret)
    {
        Load(env: new() { ["DIREKT_URL_SIGNING__SECRET_KEY"] = secret }).Options.UrlSigning.SecretKey.Should().Be(secret);
        Load(env: new() { ["URL_SIGNING_SECRET_KEY"] = secret }).Options.UrlSigning.SecretKey.Should().Be(secret);
    }

    [Fact]
    public void Environment_values_that_parse_whole_keep_their_types_and_quoted_hashes_stay_content()
    {
        var o = Load(env: new()
        {
            ["DIREKT_VARIANT_GENERATION__WORKERS"] = "3",
            ["DIREKT_AUTH__API_KEYS"] = "[\"key-one#0123456789\", \"key-two-0123456789\"]",
        }).Options;

        o.VariantGeneration.Workers.Should().Be(3);
        o.Auth.ApiKeys.Should().Equal("key-one#0123456789", "key-two-0123456789");
        LoadFails("", new() { ["DIREKT_AUTH__API_KEYS"] = "[key-one-0123456789] # c" }).Message.Should().Contain("auth.api-keys",
            "a list followed by a comment does not parse whole, so it is one literal string, which the list key refuses");
    }

    [Fact]
    public void S3_and_PostgreSQL_providers_load_with_their_settings()
    {
        var options = Load(_files.Write("backends.conf", """
            object-store { provider = s3, s3 { endpoint-url = "http://127.0.0.1:9000", force-path-style = true, chunked-encoding = false } }
            data-store { provider = postgresql, postgresql { host = db, database = images, user = direkt } }
            paths { "/**" { return-format.redirect { strategy = presigned, presigned.ttl = 10m } } }
            """)).Options;

        options.ObjectStore.S3.ForcePathStyle.Should().BeTrue();
        options.ObjectStore.S3.ChunkedEncoding.Should().BeFalse();
        options.DataStore.Postgresql.Host.Should().Be("db");
        options.DataStore.Postgresql.Port.Should().Be(5432);
    }

    [Fact]
    public void Cors_origins_token_keys_and_cache_control_blocks_are_validated_at_start()
    {
        var error = LoadFails("""
            http.cors { allowed-origins = ["*", "https://app.example.com", "https://app.example.com/", "app.example.com", "HTTPS://APP.example.com"], max-age = 2d }
            auth.upload-tokens { secret-key = "only-31-bytes-long-0123456789ab", max-lifetime = 0s }
            paths { "/x/**" { cache-control { entry.visibility = everyone, selector.max-age = -1 } } }
            """);

        error.Errors.Select(e => e.Key).Should().BeEquivalentTo(
            "http.cors.allowed-origins[2]", "http.cors.allowed-origins[3]", "http.cors.allowed-origins[4]", "http.cors.max-age",
            "auth.upload-tokens.secret-key", "auth.upload-tokens.max-lifetime",
            "paths.\"/x/**\".cache-control.entry.visibility", "paths.\"/x/**\".cache-control.selector.max-age");
        error.Message.Should().NotContain("only-31-bytes", "a secret is never echoed");

        var fine = Load(overrides: """
            http.cors.allowed-origins = ["*", "http://localhost:3000"]
            auth.upload-tokens.secret-key = "exactly-32-bytes-long-0123456789"
            """);
        fine.Options.Http.Cors.AllowedOrigins.Should().Equal("*", "http://localhost:3000");
        fine.Options.Http.Cors.MaxAge.Should().Be(TimeSpan.FromMinutes(10));
        fine.Options.Auth.UploadTokens.MaxLifetime.Should().Be(TimeSpan.FromHours(1));
    }
}
