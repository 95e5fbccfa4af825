namespace Direkt.Hocon;

// The mutable tree built while a document is read: fields merge in document order, and values that contain
// substitutions stay pending until the whole document (with its includes) is known.

internal abstract class TreeNode(string origin)
{
    public string Origin { get; } = origin;
}

internal sealed class ObjectNode(string origin) : TreeNode(origin)
{
    public List<string> Keys { get; } = [];
    public Dictionary<string, TreeNode> Fields { get; } = new(StringComparer.Ordinal);

    public TreeNode? Get(string key) => Fields.GetValueOrDefault(key);

    public void Set(string key, TreeNode value)
    {
        if (!Fields.ContainsKey(key)) Keys.Add(key);
        Fields[key] = value;
    }

    public void Remove(string key)
    {
        if (Fields.Remove(key)) Keys.Remove(key);
    }

    /// <summary>Later object fields merge into this one: objects recursively, anything else replaces.</summary>
    public void MergeFrom(ObjectNode later)
    {
        foreach (var key in later.Keys)
        {
            var value = later.Fields[key];
            if (Get(key) is ObjectNode mine && value is ObjectNode theirs) mine.MergeFrom(theirs);
            else Set(key, value);
        }
    }

    public ObjectNode Clone()
    {
        var copy = new ObjectNode(Origin);
        foreach (var key in Keys) copy.Set(key, Fields[key] is ObjectNode o ? o.Clone() : Fields[key]);
        return copy;
    }
}

internal sealed class ArrayNode(List<TreeNode> items, string origin) : TreeNode(origin)
{
    public List<TreeNode> Items { get; } = items;
}

internal sealed class ScalarNode(HoconScalarKind kind, string? text, string origin) : TreeNode(origin)
{
    public HoconScalarKind Kind { get; } = kind;
    public string? Text { get; } = text;
}

internal abstract record PendingPart;
internal sealed record NodePart(TreeNode Node) : PendingPart;
internal sealed record SpacePart(string Text) : PendingPart;
internal sealed record ReferencePart(IReadOnlyList<string> Path, string Text, bool Optional, string Origin, int Line, int Column) : PendingPart;
/// <summary>A self-reference already bound to the value the field had before (null: it had none).</summary>
internal sealed record BoundPart(TreeNode? Node) : PendingPart;

internal sealed class PendingNode(List<PendingPart> parts, string origin) : TreeNode(origin)
{
    public List<PendingPart> Parts { get; } = parts;
    /// <summary>The field's earlier value, used when this one turns out undefined (an unset optional substitution).</summary>
    public TreeNode? Previous { get; set; }
    public bool Resolving { get; set; }
    public bool Resolved { get; set; }
    public TreeNode? Result { get; set; }
}
