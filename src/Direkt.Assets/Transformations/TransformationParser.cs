using Direkt.Imaging.Transformations;

namespace Direkt.Assets.Transformations;

/// <summary>
/// Parses the transformation parameters of API.md §4 strictly, from the parameter table (<see cref="TransformationParameters"/>):
/// unknown names, unknown values and out-of-range numbers are errors naming the parameter; then the rules that involve
/// several parameters. The same parser reads URL queries, `variant-profiles` entries and preprocessing rules of direkt.conf.
/// </summary>
public static class TransformationParser
{
    public static IReadOnlyList<string> ParameterNames => TransformationParameters.Names;

    /// <summary>Each parameter's name and its documentation (values, default), from the table: for the OpenAPI document.</summary>
    public static IReadOnlyList<ParameterDocumentation> ParameterDocumentation { get; } =
        TransformationParameters.All.Select(p => new ParameterDocumentation(p.Name, p.Values, p.Default)).ToList();

    /// <summary>Parses <paramref name="parameters"/>; returns null and fills <paramref name="errors"/> when anything is wrong.</summary>
    public static TransformationRequest? TryParse(
        IReadOnlyDictionary<string, string> parameters, int maxOutputDimension, out IReadOnlyDictionary<string, string[]> errors)
    {
        var problems = new Dictionary<string, string[]>();
        void Problem(string name, string message) => problems[name] = [message];

        foreach (var name in parameters.Keys)
            if (!TransformationParameters.Names.Contains(name)) Problem(name, "is not a transformation parameter");

        var limits = new ParameterLimits(maxOutputDimension);
        var request = TransformationRequest.Empty;
        foreach (var parameter in TransformationParameters.All)
        {
            if (!parameters.TryGetValue(parameter.Name, out var text)) continue;
            var (read, problem) = parameter.Read(text, limits, request);
            if (problem is null) request = read;
            else Problem(parameter.Name, problem);
        }

        // Rules across parameters.
        var fitText = parameters.GetValueOrDefault(TransformationParameters.Fit.Name);
        if (fitText == "fill")
        {
            if (request.Gravity is not null and not Gravity.Center) Problem("g", "fit=fill always crops at the center; use fit=crop with g");
            request = request with { Gravity = Gravity.Center };
        }
        if (request.Fit is FitMode.Crop or FitMode.Stretch && (request.Width is null || request.Height is null)
            && !problems.ContainsKey("w") && !problems.ContainsKey("h"))
            Problem(request.Width is null ? "w" : "h", $"fit={fitText} needs both w and h");

        if (request.DprHalves is { } halves && !problems.ContainsKey("w") && !problems.ContainsKey("h"))
        {
            if (request.Width is null && request.Height is null) Problem("dpr", "dpr needs w or h (it multiplies them)");
            else
            {
                // Rounded half up: the product of an integer and a multiple of 0.5 is whole or exactly half-way.
                int? Scale(int? side) => side is { } s ? (int)(((long)s * halves + 1) / 2) : null;
                var (width, height) = (Scale(request.Width), Scale(request.Height));
                if (width > limits.MaxOutputDimension || height > limits.MaxOutputDimension)
                    Problem("dpr", $"w/h × dpr is {width?.ToString() ?? "–"}×{height?.ToString() ?? "–"}, more than limits.max-output-dimension ({limits.MaxOutputDimension})");
                else request = request with { Width = width, Height = height };
            }
            request = request with { DprHalves = null };
        }

        errors = problems;
        return problems.Count > 0 ? null : request;
    }
}

/// <summary>A transformation parameter as documented: name, accepted values and default (Markdown, as in docs/api.md).</summary>
public sealed record ParameterDocumentation(string Name, string Values, string Default);
