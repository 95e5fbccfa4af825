using Direkt.Hocon;

namespace Direkt.Hocon.Tests;

/// <summary>The HOCON specification's own examples (HOCON.md), plus what direkt.conf relies on.</summary>
public sealed class LeadSpecificationTests
{
    private static HoconObject Parse(string text, Dictionary<string, string>? env = null) =>
        HoconParser.Parse(text, new HoconParseOptions { EnvironmentLookup = n => env?.GetValueOrDefault(n), OriginName = "test.conf" });

    private static string? S(HoconObject o, string path) => ((HoconScalar)o.GetPath(path)!).Value;

    private static IEnumerable<string?> List(HoconObject o, string path) =>
        ((HoconArray)o.GetPath(path)!).Items.Select(i => ((HoconScalar)i).Value);

    [Fact]
    public void Json_is_hocon()
    {
        var o = Parse("""{ "a": 1, "b": [true, false, null], "c": { "d": "x\ty\u0041" } }""");

        S(o, "a").Should().Be("1");
        ((HoconScalar)o.GetPath("a")!).Kind.Should().Be(HoconScalarKind.Number);
        ((HoconArray)o["b"]!).Items.Select(i => ((HoconScalar)i).Kind)
            .Should().Equal(HoconScalarKind.Boolean, HoconScalarKind.Boolean, HoconScalarKind.Null);
        S(o, "c.d").Should().Be("x\tyA");
    }

    [Fact]
    public void Root_braces_separators_and_comments_are_optional()
    {
        var o = Parse("""
            # comment
            a = 1 // trailing comment
            b : 2, c = 3x
            d { e = 4, }
            f = [1, 2,
              3
            ]
            """);

        S(o, "a").Should().Be("1");
        S(o, "b").Should().Be("2");
        S(o, "d.e").Should().Be("4");
        List(o, "f").Should().Equal("1", "2", "3");
    }

    [Fact]
    public void Paths_as_keys_expand_to_nested_objects()
    {
        var o = Parse("""
            foo.bar = 10
            foo { baz = 11 }
            "a.b".c = 12
            a."b.c" = 13
            """);

        S(o, "foo.bar").Should().Be("10");
        S(o, "foo.baz").Should().Be("11");
        ((HoconObject)o["a.b"]!)["c"].Should().NotBeNull();
        S(o, "\"a.b\".c").Should().Be("12");
        S(o, "a.\"b.c\"").Should().Be("13");
    }

    [Fact]
    public void Duplicate_objects_merge_and_other_values_replace()
    {
        // HOCON.md "Duplicate keys and object merging".
        var merged = Parse("foo : { a : 42 }, foo : { b : 43 }");
        var replaced = Parse("foo : { a : 42 }, foo : null, foo : { b : 43 }");
        var nested = Parse("foo : { a : { c : 1 } }, foo : { a : 2 }");
        var nested2 = Parse("foo : { a : { c : 1 } }, foo : { a : { d : 2 } }");

        ((HoconObject)merged["foo"]!).Keys.Should().Equal("a", "b");
        ((HoconObject)replaced["foo"]!).Keys.Should().Equal("b");
        S(nested, "foo.a").Should().Be("2");
        ((HoconObject)nested2.GetPath("foo.a")!).Keys.Should().Equal("c", "d");
    }

    [Fact]
    public void Strings_concatenate_with_the_whitespace_between_them()
    {
        var o = Parse("""
            a = foo bar  baz
            b = "quoted "unquoted
            c = 1 2
            d = ${a}" and more"
            e = \"\"\"multi
            "line" text\"\"\"
            """.Replace("\\\"", "\""));

        S(o, "a").Should().Be("foo bar  baz");
        S(o, "b").Should().Be("quoted unquoted");
        S(o, "c").Should().Be("1 2");
        S(o, "d").Should().Be("foo bar  baz and more");
        S(o, "e").Should().Be("multi\n\"line\" text");
    }

    [Fact]
    public void Substitutions_resolve_against_the_whole_document_including_later_keys()
    {
        var o = Parse("""
            a = ${b.c}
            b { c = 5, d = ${a} }
            list = [${b.c}, 6]
            obj = ${b} { e = 7 }
            """);

        S(o, "a").Should().Be("5");
        ((HoconScalar)o["a"]!).Kind.Should().Be(HoconScalarKind.Number);
        S(o, "b.d").Should().Be("5");
        List(o, "list").Should().Equal("5", "6");
        ((HoconObject)o["obj"]!).Keys.Should().Equal("c", "d", "e");
    }

    [Fact]
    public void Substitutions_fall_back_to_the_environment_and_optional_ones_may_be_unset()
    {
        var o = Parse("""
            home = ${HOME}
            a = default
            a = ${?NOT_SET}
            b = ${?NOT_SET}
            c = [1, ${?NOT_SET}, 2]
            d = ${?SET}
            """, new() { ["HOME"] = "/home/x", ["SET"] = "yes" });

        S(o, "home").Should().Be("/home/x");
        S(o, "a").Should().Be("default");
        o["b"].Should().BeNull();
        List(o, "c").Should().Equal("1", "2");
        S(o, "d").Should().Be("yes");
    }

    [Fact]
    public void Self_referential_substitutions_see_the_earlier_value()
    {
        // HOCON.md "Self-Referential Substitutions".
        var o = Parse("""
            path = [ "/usr/bin" ]
            path = ${path} [ "/usr/local/bin" ]
            bar = { foo : 42, baz : ${bar.foo} }
            s = a
            s = ${s}b
            opt = ${?opt} x
            """);

        List(o, "path").Should().Equal("/usr/bin", "/usr/local/bin");
        S(o, "bar.baz").Should().Be("42");
        S(o, "s").Should().Be("ab");
        S(o, "opt").Should().Be("x");
    }

    [Fact]
    public void Plus_equals_appends_to_a_list()
    {
        var o = Parse("""
            a = [1]
            a += 2
            b += x
            """);

        List(o, "a").Should().Equal("1", "2");
        List(o, "b").Should().Equal("x");
    }

    [Fact]
    public void Cycles_and_missing_required_substitutions_are_errors()
    {
        var cycle = () => Parse("a = ${b}\nb = ${a}");
        var missing = () => Parse("a = 1\nb = ${nope}");

        cycle.Should().Throw<HoconException>().WithMessage("*cycle*");
        missing.Should().Throw<HoconException>().WithMessage("test.conf:2:*${nope}*").Which.Line.Should().Be(2);
    }

    [Theory]
    [InlineData("a = {", 1)]
    [InlineData("a = 1\nb = [1, 2", 2)]
    [InlineData("a = 1\n\nb = \"open", 3)]
    [InlineData("a = 1\nb c d", 2)]
    [InlineData("a = 1\n= 2", 2)]
    [InlineData("a = http://x", 1)]
    public void Syntax_errors_have_line_numbers(string text, int line)
    {
        var act = () => Parse(text);

        act.Should().Throw<HoconException>().Which.Line.Should().Be(line);
    }

    [Fact]
    public void Includes_merge_at_the_point_of_inclusion()
    {
        var folder = Directory.CreateTempSubdirectory("hocon-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "inc.conf"), "x = 1\ny { z = 2 }");
            var main = Path.Combine(folder, "main.conf");
            File.WriteAllText(main, """
                x = 0
                include "inc.conf"
                nested { include file("inc.conf") }
                include "missing.conf"
                y.w = 3
                """);

            var o = HoconParser.ParseFile(main, new HoconParseOptions { EnvironmentLookup = _ => null });

            S(o, "x").Should().Be("1");
            S(o, "y.z").Should().Be("2");
            S(o, "y.w").Should().Be("3");
            S(o, "nested.y.z").Should().Be("2");
            o.GetPath("x")!.Origin.Should().Be("inc.conf:1");

            File.WriteAllText(main, "include required(file(\"missing.conf\"))");
            var required = () => HoconParser.ParseFile(main);
            required.Should().Throw<HoconException>().WithMessage("*missing.conf*");
            File.WriteAllText(main, "include url(\"http://example.com/x.conf\")");
            var url = () => HoconParser.ParseFile(main);
            url.Should().Throw<HoconException>().WithMessage("*only file includes*");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("500", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("30 seconds", 30_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("10m", 600_000)]
    [InlineData("24h", 86_400_000)]
    [InlineData("7d", 604_800_000)]
    [InlineData("2 days", 172_800_000)]
    [InlineData("1000us", 1)]
    public void Durations_follow_the_specification(string text, long milliseconds)
    {
        HoconDuration.TryParse(text, out var value).Should().BeTrue();
        value.TotalMilliseconds.Should().Be(milliseconds);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("10 fortnights")]
    [InlineData("")]
    public void Bad_durations_are_refused(string text) => HoconDuration.TryParse(text, out _).Should().BeFalse();

    [Theory]
    [InlineData("100", 100)]
    [InlineData("100B", 100)]
    [InlineData("512KB", 512_000)]
    [InlineData("512kB", 512_000)]
    [InlineData("512K", 524_288)]
    [InlineData("512KiB", 524_288)]
    [InlineData("100MB", 100_000_000)]
    [InlineData("100 megabytes", 100_000_000)]
    [InlineData("1GiB", 1_073_741_824)]
    [InlineData("1G", 1_073_741_824)]
    [InlineData("1.5MiB", 1_572_864)]
    [InlineData("2 mebibytes", 2_097_152)]
    public void Sizes_follow_the_specification(string text, long bytes)
    {
        HoconSize.TryParse(text, out var value).Should().BeTrue();
        value.Should().Be(bytes);
    }

    [Theory]
    [InlineData("-5MB")]
    [InlineData("lots")]
    [InlineData("100 XB")]
    [InlineData("99999999EB")]
    public void Bad_sizes_are_refused(string text) => HoconSize.TryParse(text, out _).Should().BeFalse();

    [Fact]
    public void Single_values_parse_for_environment_overrides()
    {
        ((HoconArray)HoconParser.ParseValue("[a.example.com, \"*.b.example.com\"]")).Items
            .Select(i => ((HoconScalar)i).Value).Should().Equal("a.example.com", "*.b.example.com");
        ((HoconScalar)HoconParser.ParseValue("30s")).Value.Should().Be("30s");
        ((HoconScalar)HoconParser.ParseValue("\"with \\\"quotes\\\"\"")).Value.Should().Be("with \"quotes\"");
        ((HoconObject)HoconParser.ParseValue("{ x = 1 }"))["x"].Should().NotBeNull();
        var trailing = () => HoconParser.ParseValue("a, b");
        trailing.Should().Throw<HoconException>();
    }

    [Theory]
    [InlineData("ab#cd")]
    [InlineData("ab // cd")]
    [InlineData("[a, b] # c")]
    public void Without_comments_a_comment_sign_outside_quotes_is_an_error_not_a_cut(string text)
    {
        ((HoconScalar)HoconParser.ParseValue("ab#cd")).Value.Should().Be("ab", "in a file, # starts a comment");
        var strict = () => HoconParser.ParseValue(text, new HoconParseOptions { AllowComments = false });
        strict.Should().Throw<HoconException>().WithMessage("*comment*");
        ((HoconScalar)HoconParser.ParseValue("\"a#b//c\"", new HoconParseOptions { AllowComments = false })).Value.Should().Be("a#b//c");
    }

    [Fact]
    public void Flatten_gives_configuration_keys()
    {
        var o = Parse("a { b = 1, c = [x, y], d = null }");

        o.Flatten().Should().Equal(
            new KeyValuePair<string, string?>("a:b", "1"),
            new KeyValuePair<string, string?>("a:c:0", "x"),
            new KeyValuePair<string, string?>("a:c:1", "y"),
            new KeyValuePair<string, string?>("a:d", null));
    }

    [Fact]
    public void With_fallback_merges_objects_and_keeps_this_side_for_everything_else()
    {
        var mine = Parse("a { x = 1 }, list = [1], s = mine");
        var fallback = Parse("a { x = 0, y = 2 }, list = [5, 6], t = theirs");

        var merged = mine.WithFallback(fallback);

        S(merged, "a.x").Should().Be("1");
        S(merged, "a.y").Should().Be("2");
        List(merged, "list").Should().Equal("1");
        S(merged, "s").Should().Be("mine");
        S(merged, "t").Should().Be("theirs");
    }

    [Fact]
    public void Origins_name_the_line()
    {
        Parse("a = 1\n\nb = 2").GetPath("b")!.Origin.Should().Be("test.conf:3");
    }
}
