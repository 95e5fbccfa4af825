using Direkt.Assets.Transformations;
using Direkt.Configuration.Loading;
using Direkt.Imaging;
using Direkt.Imaging.Transformations;
using Direkt.Tests.Support;

namespace Direkt.Tests.Assets;

/// <summary>
/// The parameter table (<see cref="TransformationParameters"/>) is the only list of parameters: the documentation, the
/// query-string reservation, profiles in direkt.conf and the key all follow it.
/// </summary>
public sealed class ParameterTableTests
{
    private const string Start = "<!-- parameter-table: generated from TransformationParameters (src/Direkt.Imaging/Transformations); a test checks it -->\n";
    private const string End = "<!-- /parameter-table -->";

    [Fact]
    public void The_table_in_the_api_documentation_is_the_generated_one()
    {
        var api = File.ReadAllText(RepositoryRoot.File("docs/api.md")).ReplaceLineEndings("\n");
        var from = api.IndexOf(Start, StringComparison.Ordinal);
        from.Should().BeGreaterThan(0, "docs/api.md marks the generated table");
        var to = api.IndexOf(End, from, StringComparison.Ordinal);

        api[(from + Start.Length)..to].Should().Be(TransformationParameters.MarkdownTable());
    }

    [Fact]
    public void The_reserved_query_parameters_are_the_tables_names()
    {
        Direkt.Http.Assets.AssetQueryString.TransformationParameters.Should().BeEquivalentTo(TransformationParameters.Names);
        TransformationParameters.Names.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Every_parameter_of_the_table_can_be_written_in_a_profile_and_a_preprocessing_rule()
    {
        // One valid value per parameter, read back through direkt.conf binding.
        var sample = new Dictionary<string, string>
        {
            ["w"] = "10", ["h"] = "20", ["dpr"] = "1.5", ["fit"] = "crop", ["g"] = "entropy", ["format"] = "png", ["q"] = "70", ["r"] = "90",
            ["f"] = "h", ["filter"] = "sepia", ["blur"] = "1.5", ["pad"] = "3", ["pad-c"] = "#ff0000", ["strip"] = "none",
            ["cs"] = "srgb", ["enlarge"] = "true",
        };
        sample.Keys.Should().BeEquivalentTo(TransformationParameters.Names.Where(n => n != "profile"));
        var block = string.Join(", ", sample.Select(p => $"\"{p.Key}\" = \"{p.Value}\""));

        var configuration = DirektConfigurationLoader.Load(new ConfigurationSource
        {
            Overrides = $$"""
                variant-profiles.all { {{block}} }
                paths { "/p/**" { transform.preprocessing { enabled = true, max-width = 50, {{block}} } } }
                """,
        });

        configuration.Options.VariantProfiles["all"].ToParameters().Should().Equal(sample);
        configuration.Paths.Resolve("/p/x").Transform.Preprocessing.ToParameters().Should().Equal(sample);
        TransformationParser.TryParse(sample, 8192, out var errors).Should().NotBeNull();
        errors.Should().BeEmpty();
    }

    [Fact]
    public void A_misspelt_profile_parameter_stops_the_start_up_check_naming_it()
    {
        var configuration = DirektConfigurationLoader.Load(new ConfigurationSource { Overrides = "variant-profiles.small { wdith = 10 }" });

        var act = () => TransformationSettingsCheck.Validate(configuration, FormatCapabilities.Detect());

        act.Should().Throw<DirektConfigurationException>().Which.Message.Should().Contain("variant-profiles.small.wdith")
            .And.Contain("not a transformation parameter");
    }

    [Fact]
    public void The_configuration_validators_format_names_are_ImageFormats()
    {
        // direkt.conf is validated before libvips is loaded, in a project that does not see Direkt.Imaging.
        DirektOptionsValidator.ImageFormatNames.Should().BeEquivalentTo(ImageFormat.Requestable.SelectMany(f => f.Names));
        DirektOptionsValidator.ImageMimeTypes.Should().BeEquivalentTo(ImageFormat.Requestable.Select(f => f.MimeType));
    }
}
