using Direkt.Configuration.Options;
using Direkt.Configuration.Loading;
using Direkt.Configuration.Paths;
using Direkt.Hocon;

namespace Direkt.Configuration.Tests;

public sealed class PathPolicyResolverTests
{
    private static PathPolicyResolver Resolver(string paths, out List<ConfigurationError> errors)
    {
        errors = [];
        var tree = HoconParser.Parse(paths).WithFallback(DirektConfigurationLoader.Defaults.GetPath("paths") is HoconObject defaults
            ? HoconObject.Empty.WithValue("paths", defaults) : HoconObject.Empty);
        return PathPolicyResolver.Create((HoconObject)tree["paths"]!, errors);
    }

    private static PathPolicyResolver Resolver(string paths)
    {
        var resolver = Resolver(paths, out var errors);
        errors.Should().BeEmpty();
        return resolver;
    }

    [Theory]
    [InlineData("/**", "/a", true)]
    [InlineData("/**", "/a/b/c", true)]
    [InlineData("/users/*", "/users/1", true)]
    [InlineData("/users/*", "/users/1/avatar", false)]
    [InlineData("/users/*", "/users", false)]
    [InlineData("/users/**", "/users", true)]
    [InlineData("/users/**", "/users/1/avatar", true)]
    [InlineData("/users/**", "/usersx/1", false)]
    [InlineData("/users/*/avatar", "/users/7/avatar", true)]
    [InlineData("/users/*/avatar", "/users/7/banner", false)]
    [InlineData("/**/avatar", "/avatar", true)]
    [InlineData("/**/avatar", "/a/b/avatar", true)]
    [InlineData("/**/avatar", "/a/b/avatar/x", false)]
    [InlineData("/Users/*", "/users/1", false)] // paths are case-sensitive
    public void Patterns_match_whole_segments(string pattern, string path, bool matches)
    {
        PathPattern.TryParse(pattern, out var parsed, out _).Should().BeTrue();
        parsed!.Matches(path.Split('/', StringSplitOptions.RemoveEmptyEntries)).Should().Be(matches);
    }

    [Theory]
    [InlineData("users/*")]
    [InlineData("/users/a*")]
    [InlineData("/users//x")]
    [InlineData("/users/../x")]
    [InlineData("/users/-/x")]
    [InlineData("/users/a b")]
    public void Malformed_patterns_are_refused(string pattern) =>
        PathPattern.TryParse(pattern, out _, out var problem).Should().BeFalse(problem);

    [Fact]
    public void Specific_patterns_override_field_by_field_and_objects_merge_deeply()
    {
        var resolver = Resolver("""
            paths {
              "/**" { cache-control { max-age = 60, visibility = public } }
              "/users/**" { cache-control.s-maxage = 600, object-store.bucket = users }
              "/users/*/avatar" { cache-control.max-age = 3600, transform.on-demand-variant.mode = profile_only }
            }
            """);

        var avatar = resolver.Resolve("/users/42/avatar");
        avatar.CacheControl.MaxAge.Should().Be(3600);          // most specific wins
        avatar.CacheControl.SMaxAge.Should().Be(600);          // inherited from /users/**
        avatar.CacheControl.Visibility.Should().Be("public");  // inherited from /**
        avatar.ObjectStore.Bucket.Should().Be("users");
        avatar.Transform.OnDemandVariant.Mode.Should().Be(OnDemandMode.ProfileOnly);
        avatar.Transform.Negotiate.Should().Equal("webp");     // built-in default of /**

        var banner = resolver.Resolve("/users/42/banner");
        banner.CacheControl.MaxAge.Should().Be(60);
        banner.Transform.OnDemandVariant.Mode.Should().Be(OnDemandMode.Enabled);

        var other = resolver.Resolve("/products/1");
        other.ObjectStore.Bucket.Should().Be("assets");
        other.CacheControl.SMaxAge.Should().BeNull();
    }

    [Fact]
    public void Lists_of_a_more_specific_pattern_replace_instead_of_merging()
    {
        var resolver = Resolver("""
            paths {
              "/**" { allowed-content-types = [jpg, png, webp], transform.negotiate = [webp, avif] }
              "/docs/**" { allowed-content-types = [png] , transform.negotiate = [] }
            }
            """);

        resolver.Resolve("/docs/manual/cover").AllowedContentTypes.Should().Equal("png");
        resolver.Resolve("/docs/manual/cover").Transform.Negotiate.Should().BeEmpty();
        resolver.Resolve("/photos/1").AllowedContentTypes.Should().Equal("jpg", "png", "webp");
    }

    [Fact]
    public void Specificity_prefers_fewer_wildcards_then_more_literals_then_single_wildcards()
    {
        var resolver = Resolver("""
            paths {
              "/**"             { object-store.bucket = root }
              "/users/**"       { object-store.bucket = users-any }
              "/users/*"        { object-store.bucket = users-one }
              "/users/*/avatar" { object-store.bucket = avatar }
              "/users/1/avatar" { object-store.bucket = exact }
            }
            """);

        resolver.MatchingPatterns("/users/1/avatar").Select(p => p.Text)
            .Should().Equal("/**", "/users/**", "/users/*/avatar", "/users/1/avatar");
        resolver.Resolve("/users/1/avatar").ObjectStore.Bucket.Should().Be("exact");
        resolver.Resolve("/users/2/avatar").ObjectStore.Bucket.Should().Be("avatar");
        resolver.Resolve("/users/2").ObjectStore.Bucket.Should().Be("users-one");   // '*' beats '**' at equal counts
        resolver.Resolve("/users/2/x/y").ObjectStore.Bucket.Should().Be("users-any");
        resolver.Resolve("/users").ObjectStore.Bucket.Should().Be("users-any");     // '**' matches zero segments
    }

    [Fact]
    public void Equally_specific_patterns_that_can_match_the_same_path_are_a_start_up_error()
    {
        Resolver("""paths { "/users/*" { }, "/*/avatar" { } }""", out var errors);

        errors.Should().ContainSingle().Which.Problem.Should().Contain("exactly as specific");
    }

    [Fact]
    public void Equally_specific_patterns_that_never_meet_are_fine()
    {
        Resolver("""paths { "/users/*" { }, "/posts/*" { }, "/a/**/b" { }, "/c/**/d" { } }""", out var errors);

        errors.Should().BeEmpty();
    }

    [Theory]
    [InlineData("/a/*", "/*/b", true)]
    [InlineData("/a/*", "/b/*", false)]
    [InlineData("/**/x", "/y/**", true)]
    [InlineData("/**/x", "/**/y", false)]
    [InlineData("/a/**", "/a", true)]
    [InlineData("/*", "/a/b", false)]
    public void Overlap_is_decided_on_segments(string a, string b, bool overlap)
    {
        PathPattern.TryParse(a, out var pa, out _);
        PathPattern.TryParse(b, out var pb, out _);
        PathPattern.Overlap(pa!, pb!).Should().Be(overlap);
        PathPattern.Overlap(pb!, pa!).Should().Be(overlap);
    }

    [Fact]
    public void A_malformed_pattern_in_the_file_is_an_error_naming_it()
    {
        Resolver("""paths { "users/*" { } }""", out var errors);

        errors.Should().ContainSingle().Which.Key.Should().Be("paths.\"users/*\"");
    }
}
