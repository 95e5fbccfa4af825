namespace Direkt.Hocon;

/// <summary>A resolved HOCON value. Values are immutable; <see cref="Origin"/> says where it was written ("file:line").</summary>
public abstract class HoconValue
{
    protected HoconValue(string origin) => Origin = origin;

    public string Origin { get; }
}

public enum HoconScalarKind { String, Number, Boolean, Null }

/// <summary>A string, number, boolean or null. Numbers and booleans keep the text they were written with.</summary>
public sealed class HoconScalar : HoconValue
{
    public HoconScalar(HoconScalarKind kind, string? value, string origin) : base(origin)
    {
        Kind = kind;
        Value = kind == HoconScalarKind.Null ? null : value ?? "";
    }

    public HoconScalarKind Kind { get; }
    public string? Value { get; }

    public override string ToString() => Value ?? "null";
}

public sealed class HoconArray : HoconValue
{
    public HoconArray(IReadOnlyList<HoconValue> items, string origin) : base(origin) => Items = items;

    public IReadOnlyList<HoconValue> Items { get; }
}

/// <summary>An object: keys in the order they were first defined.</summary>
public sealed class HoconObject : HoconValue
{
    private readonly IReadOnlyList<string> _keys;
    private readonly IReadOnlyDictionary<string, HoconValue> _fields;

    public HoconObject(IReadOnlyList<(string Key, HoconValue Value)> fields, string origin) : base(origin)
    {
        var keys = new List<string>();
        var map = new Dictionary<string, HoconValue>(StringComparer.Ordinal);
        foreach (var (key, value) in fields)
        {
            if (!map.ContainsKey(key)) keys.Add(key);
            map[key] = value;
        }
        _keys = keys;
        _fields = map;
    }

    public static HoconObject Empty { get; } = new([], "<empty>");

    public IReadOnlyList<string> Keys => _keys;

    public HoconValue? this[string key] => _fields.GetValueOrDefault(key);

    public bool TryGetValue(string key, out HoconValue value)
    {
        var found = _fields.TryGetValue(key, out var v);
        value = v!;
        return found;
    }

    /// <summary>Looks up a dotted path such as <c>a.b</c> or <c>a."x.y".b</c>.</summary>
    public HoconValue? GetPath(string dottedPath)
    {
        HoconValue? current = this;
        foreach (var segment in HoconPath.Split(dottedPath))
        {
            if (current is not HoconObject obj || !obj.TryGetValue(segment, out var next)) return null;
            current = next;
        }
        return current;
    }

    /// <summary>
    /// Merges with a fallback as the specification's <c>withFallback</c>: objects present in both merge recursively,
    /// anything else in this object wins.
    /// </summary>
    public HoconObject WithFallback(HoconObject fallback)
    {
        var fields = new List<(string, HoconValue)>();
        foreach (var key in fallback.Keys)
        {
            var theirs = fallback[key]!;
            if (!TryGetValue(key, out var mine)) fields.Add((key, theirs));
            else if (mine is HoconObject m && theirs is HoconObject t) fields.Add((key, m.WithFallback(t)));
            else fields.Add((key, mine));
        }
        foreach (var key in Keys)
            if (fallback[key] is null) fields.Add((key, this[key]!));
        return new HoconObject(fields, Origin);
    }

    public HoconObject WithValue(string key, HoconValue value)
    {
        var fields = Keys.Select(k => (k, k == key ? value : this[k]!)).ToList();
        if (this[key] is null) fields.Add((key, value));
        return new HoconObject(fields, Origin);
    }

    /// <summary>
    /// Key/value pairs in Microsoft.Extensions.Configuration form: nested keys joined by ':', array elements by index,
    /// null as a null value; an empty object or array yields no pair.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string?>> Flatten() => Flatten(this, "");

    private static IEnumerable<KeyValuePair<string, string?>> Flatten(HoconValue value, string prefix)
    {
        switch (value)
        {
            case HoconObject obj:
                foreach (var key in obj.Keys)
                    foreach (var pair in Flatten(obj[key]!, prefix.Length == 0 ? key : prefix + ":" + key))
                        yield return pair;
                break;
            case HoconArray array:
                for (var i = 0; i < array.Items.Count; i++)
                    foreach (var pair in Flatten(array.Items[i], prefix + ":" + i))
                        yield return pair;
                break;
            case HoconScalar scalar:
                yield return new(prefix, scalar.Value);
                break;
        }
    }
}
