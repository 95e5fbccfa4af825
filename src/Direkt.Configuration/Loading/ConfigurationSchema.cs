using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Direkt.Configuration.Options;
using Direkt.Hocon;
using Microsoft.Extensions.Configuration;

namespace Direkt.Configuration.Loading;

/// <summary>
/// Checks a HOCON tree against an options type before binding: every key must exist, every value must have the property's
/// shape and type. It gathers all problems at once (an operator fixes a file in one go) and produces the flat key/value
/// pairs the framework binder understands, with HOCON durations and sizes already converted.
/// </summary>
internal static class ConfigurationSchema
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, PropertyInfo>> PropertiesByKey = new();
    private static readonly NullabilityInfoContext Nullability = new();

    /// <summary>
    /// The key of a <c>Dictionary&lt;string, string&gt;</c> property that takes every key of its object that no other property
    /// names (single values only): transformation parameters, whose names and values a table outside this project checks.
    /// </summary>
    public const string OtherKeysName = "$other-keys";

    public sealed record Result(IReadOnlyDictionary<string, string?> Values, IReadOnlyList<ConfigurationError> Errors);

    public static Result Check(HoconObject root, Type type, string keyPrefix = "")
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<ConfigurationError>();
        VisitObject(root, type, keyPrefix, "", values, errors);
        return new Result(values, errors);
    }

    /// <summary>The HOCON keys an options type understands, in declaration order.</summary>
    public static IReadOnlyCollection<string> KeysOf(Type type) => Properties(type).Keys.ToList();

    private static void VisitObject(HoconObject obj, Type type, string key, string configKey,
        Dictionary<string, string?> values, List<ConfigurationError> errors)
    {
        var properties = Properties(type);
        foreach (var name in obj.Keys)
        {
            var childKey = ConfigurationKeys.Append(key, name);
            var value = obj[name]!;
            if (name == OtherKeysName || !properties.TryGetValue(name, out var property))
            {
                if (properties.ContainsKey(OtherKeysName) && name != OtherKeysName)
                {
                    var otherKey = (configKey.Length == 0 ? "" : configKey + ":") + OtherKeysName + ":" + name;
                    VisitValue(value, typeof(string), true, false, childKey, otherKey, values, errors);
                    continue;
                }
                errors.Add(new ConfigurationError(childKey, null, value.Origin,
                    UnknownKeyProblem(name, properties.Keys.Where(k => k != OtherKeysName))));
                continue;
            }
            var childConfigKey = configKey.Length == 0 ? name : configKey + ":" + name;
            VisitValue(value, property.PropertyType, IsNullable(property), property.IsDefined(typeof(ByteSizeAttribute)),
                childKey, childConfigKey, values, errors);
        }
    }

    private static void VisitValue(HoconValue value, Type type, bool nullable, bool byteSize, string key, string configKey,
        Dictionary<string, string?> values, List<ConfigurationError> errors)
    {
        if (value is HoconScalar { Kind: HoconScalarKind.Null })
        {
            // Null leaves the property at its default, which is null for every nullable option.
            if (!nullable) errors.Add(new ConfigurationError(key, "null", value.Origin, "must not be null"));
            return;
        }

        if (DictionaryValueType(type) is { } dictionaryValueType)
        {
            if (value is not HoconObject map) { errors.Add(Shape(key, value, "must be an object { … }")); return; }
            foreach (var name in map.Keys)
            {
                var entryKey = ConfigurationKeys.Append(key, name);
                if (name.Contains(':'))
                {
                    errors.Add(new ConfigurationError(entryKey, null, map[name]!.Origin, "names must not contain ':'"));
                    continue;
                }
                VisitValue(map[name]!, dictionaryValueType, false, false, entryKey, configKey + ":" + name, values, errors);
            }
            return;
        }

        if (ListElementType(type) is { } elementType)
        {
            if (value is not HoconArray array) { errors.Add(Shape(key, value, "must be a list [ … ]")); return; }
            for (var i = 0; i < array.Items.Count; i++)
                VisitValue(array.Items[i], elementType, false, byteSize, $"{key}[{i}]", $"{configKey}:{i}", values, errors);
            return;
        }

        if (IsOptionsClass(type))
        {
            if (value is not HoconObject obj) { errors.Add(Shape(key, value, "must be an object { … }")); return; }
            VisitObject(obj, type, key, configKey, values, errors);
            return;
        }

        if (value is not HoconScalar scalar) { errors.Add(Shape(key, value, "must be a single value, not an object or a list")); return; }
        var text = scalar.Value!;
        var converted = Convert(text, Nullable.GetUnderlyingType(type) ?? type, byteSize, out var problem);
        if (problem is not null) errors.Add(new ConfigurationError(key, Quote(text), scalar.Origin, problem));
        else values[configKey] = converted;
    }

    private static string? Convert(string text, Type type, bool byteSize, out string? problem)
    {
        problem = null;
        if (type == typeof(string)) return text;
        if (type.IsEnum)
        {
            // A mode is written in direkt.conf as its snake_case name (profile_only) and bound as the enum member (ProfileOnly).
            if (Enum.GetNames(type).FirstOrDefault(name => ConfigurationNames.Of(name) == text) is { } member) return member;
            problem = $"allowed values are {string.Join(", ", Enum.GetNames(type).Select(ConfigurationNames.Of))}";
            return null;
        }
        if (type == typeof(bool))
        {
            if (text is "true" or "yes" or "on") return "true";
            if (text is "false" or "no" or "off") return "false";
            problem = "must be true or false";
            return null;
        }
        if (type == typeof(TimeSpan))
        {
            if (HoconDuration.TryParse(text, out var duration) && duration >= TimeSpan.Zero)
                return duration.ToString("c", CultureInfo.InvariantCulture);
            problem = "must be a duration such as 500ms, 30s, 10m, 24h or 7d";
            return null;
        }
        if (type == typeof(long) && byteSize)
        {
            if (HoconSize.TryParse(text, out var bytes) && bytes >= 0) return bytes.ToString(CultureInfo.InvariantCulture);
            problem = "must be a size such as 512KB, 100MB or 1GiB, or a number of bytes";
            return null;
        }
        if (type == typeof(int))
        {
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
                return i.ToString(CultureInfo.InvariantCulture);
            problem = "must be a whole number";
            return null;
        }
        if (type == typeof(long))
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                return l.ToString(CultureInfo.InvariantCulture);
            problem = "must be a whole number";
            return null;
        }
        if (type == typeof(double))
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
                return d.ToString("R", CultureInfo.InvariantCulture);
            problem = "must be a number";
            return null;
        }
        throw new NotSupportedException($"Options property type {type} is not supported by the configuration schema.");
    }

    private static ConfigurationError Shape(string key, HoconValue value, string problem) =>
        new(key, Describe(value), value.Origin, problem);

    private static string Describe(HoconValue value) => value switch
    {
        HoconObject => "{ … }",
        HoconArray => "[ … ]",
        HoconScalar s => Quote(s.Value ?? "null"),
        _ => "?",
    };

    private static string Quote(string text) => "\"" + text + "\"";

    private static string UnknownKeyProblem(string name, IEnumerable<string> known)
    {
        var knownList = known.ToList();
        var suggestion = knownList
            .Select(k => (Key: k, Distance: EditDistance(name, k)))
            .Where(x => x.Distance <= Math.Max(2, name.Length / 3))
            .OrderBy(x => x.Distance)
            .Select(x => x.Key)
            .FirstOrDefault();
        var hint = suggestion is null ? "" : $"; did you mean '{suggestion}'?";
        return $"unknown key{hint} (known here: {string.Join(", ", knownList)})";
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            previous = current;
        }
        return previous[b.Length];
    }

    private static IReadOnlyDictionary<string, PropertyInfo> Properties(Type type) =>
        PropertiesByKey.GetOrAdd(type, t => t
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Select(p => (Key: p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name, Property: p))
            .Where(x => x.Key is not null)
            .ToDictionary(x => x.Key!, x => x.Property, StringComparer.Ordinal));

    private static bool IsNullable(PropertyInfo property)
    {
        if (Nullable.GetUnderlyingType(property.PropertyType) is not null) return true;
        if (property.PropertyType.IsValueType) return false;
        // NullabilityInfoContext caches in plain dictionaries: servers loading their configuration in parallel (tests) share it.
        lock (Nullability) return Nullability.Create(property).WriteState == NullabilityState.Nullable;
    }

    private static bool IsOptionsClass(Type type) =>
        type.IsClass && type != typeof(string) && !Properties(type).Count.Equals(0);

    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) && type.GetGenericArguments()[0] == typeof(string)
            ? type.GetGenericArguments()[1]
            : null;

    private static Type? ListElementType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;
}
