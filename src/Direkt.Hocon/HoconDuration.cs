using System.Globalization;

namespace Direkt.Hocon;

/// <summary>The specification's duration format: a number and an optional unit; a bare number is milliseconds.</summary>
public static class HoconDuration
{
    private static readonly (string[] Units, double Milliseconds)[] Units =
    [
        (["ns", "nano", "nanos", "nanosecond", "nanoseconds"], 1e-6),
        (["us", "micro", "micros", "microsecond", "microseconds"], 1e-3),
        (["", "ms", "milli", "millis", "millisecond", "milliseconds"], 1),
        (["s", "second", "seconds"], 1000),
        (["m", "minute", "minutes"], 60_000),
        (["h", "hour", "hours"], 3_600_000),
        (["d", "day", "days"], 86_400_000),
    ];

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var (number, unit) = HoconUnits.Split(text);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount))
            return false;
        foreach (var (names, ms) in Units)
        {
            if (!names.Contains(unit)) continue;
            var total = amount * ms;
            if (!double.IsFinite(total) || Math.Abs(total) > TimeSpan.MaxValue.TotalMilliseconds) return false;
            value = TimeSpan.FromTicks((long)Math.Round(total * TimeSpan.TicksPerMillisecond));
            return true;
        }
        return false;
    }
}

/// <summary>The specification's size-in-bytes format: powers of ten for kB/MB/…, powers of two for K/KiB/Mi/….</summary>
public static class HoconSize
{
    private static readonly (string[] Units, decimal Bytes)[] Units = Build();

    private static (string[], decimal)[] Build()
    {
        var table = new List<(string[], decimal)> { (["", "B", "b", "byte", "bytes"], 1) };
        string[] prefixes = ["kilo", "mega", "giga", "tera", "peta", "exa"];
        string[] letters = ["k", "M", "G", "T", "P", "E"];
        for (var i = 0; i < prefixes.Length; i++)
        {
            var power10 = (decimal)Math.Pow(1000, i + 1);
            var power2 = (decimal)Math.Pow(1024, i + 1);
            var upper = letters[i].ToUpperInvariant();
            var binary = prefixes[i][..2] + "bi";
            table.Add(([letters[i] + "B", upper + "B", prefixes[i] + "byte", prefixes[i] + "bytes"], power10));
            table.Add(([upper, letters[i].ToLowerInvariant(), upper + "i", upper + "iB", binary + "byte", binary + "bytes"], power2));
        }
        return [.. table];
    }

    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var (number, unit) = HoconUnits.Split(text);
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)) return false;
        foreach (var (names, factor) in Units)
        {
            if (!names.Contains(unit, StringComparer.Ordinal)) continue;
            try
            {
                var total = decimal.Round(amount * factor);
                if (total > long.MaxValue) return false;
                bytes = (long)total;
                return true;
            }
            catch (OverflowException)
            {
                return false;
            }
        }
        return false;
    }
}

internal static class HoconUnits
{
    /// <summary>"30 s" → ("30", "s"); the unit is whatever letters follow the number.</summary>
    public static (string Number, string Unit) Split(string text)
    {
        var trimmed = text.Trim();
        var end = 0;
        while (end < trimmed.Length && (char.IsAsciiDigit(trimmed[end]) || trimmed[end] is '.' or '-' or '+')) end++;
        return (trimmed[..end], trimmed[end..].Trim());
    }
}
