using System.Text;

namespace Direkt.Hocon;

/// <summary>
/// Resolves the pending values of a built tree against the whole tree (then the environment) and freezes it into
/// immutable <see cref="HoconValue"/>s. Cycles are errors; an unset optional substitution leaves its field at the earlier
/// value, or removes it.
/// </summary>
internal sealed class HoconResolver(ObjectNode root, Func<string, string?> environment)
{
    public HoconObject Resolve()
    {
        ResolveObject(root);
        return (HoconObject)Freeze(root);
    }

    public HoconValue ResolveValue(TreeNode node)
    {
        var resolved = ResolveNode(node)
            ?? throw new HoconException(node.Origin, 0, 0, "the value is an undefined optional substitution");
        return Freeze(resolved);
    }

    private void ResolveObject(ObjectNode obj)
    {
        foreach (var key in obj.Keys.ToList())
        {
            var resolved = ResolveNode(obj.Fields[key]);
            if (resolved is null) obj.Remove(key);
            else obj.Set(key, resolved);
        }
    }

    /// <summary>The node with nothing pending inside; null when it is an undefined optional substitution without an earlier value.</summary>
    private TreeNode? ResolveNode(TreeNode node)
    {
        switch (node)
        {
            case PendingNode pending:
                var result = ResolvePending(pending);
                return result ?? (pending.Previous is null ? null : ResolveNode(pending.Previous));
            case ObjectNode obj:
                ResolveObject(obj);
                return obj;
            case ArrayNode array:
                var items = new List<TreeNode>();
                foreach (var item in array.Items)
                    if (ResolveNode(item) is { } resolved) items.Add(resolved); // an unset ${?x} element disappears
                array.Items.Clear();
                array.Items.AddRange(items);
                return array;
            default:
                return node;
        }
    }

    private TreeNode? ResolvePending(PendingNode pending)
    {
        if (pending.Resolved) return pending.Result;
        if (pending.Resolving)
            throw new HoconException(pending.Origin, 0, 0, "substitution cycle: a value refers to itself through other values");
        pending.Resolving = true;

        // Each part becomes a value, whitespace, or nothing (an unset optional substitution).
        var pieces = new List<object>();
        foreach (var part in pending.Parts)
        {
            switch (part)
            {
                case SpacePart space: pieces.Add(space.Text); break;
                case NodePart n: if (ResolveNode(n.Node) is { } v) pieces.Add(v); break;
                case BoundPart bound: if (bound.Node is not null && ResolveNode(bound.Node) is { } b) pieces.Add(b); break;
                case ReferencePart reference: if (Lookup(reference) is { } r) pieces.Add(r); break;
            }
        }

        pending.Result = Combine(pieces, pending.Origin);
        pending.Resolved = true;
        pending.Resolving = false;
        return pending.Result;
    }

    private TreeNode? Lookup(ReferencePart reference)
    {
        TreeNode? node = root;
        foreach (var segment in reference.Path)
        {
            if (node is PendingNode p) node = ResolveNode(p);
            node = node is ObjectNode obj ? obj.Get(segment) : null;
            if (node is null) break;
        }
        if (node is not null) return ResolveNode(node);

        if (environment(reference.Text) is { } value) return new ScalarNode(HoconScalarKind.String, value, $"environment variable {reference.Text}");
        if (reference.Optional) return null;
        throw new HoconException(reference.Origin, reference.Line, reference.Column,
            $"could not resolve substitution ${{{reference.Text}}}: no such key and no such environment variable");
    }

    private static TreeNode? Combine(List<object> pieces, string origin)
    {
        var values = pieces.OfType<TreeNode>().ToList();
        if (values.Count == 0) return null;
        // One value (whitespace at the ends never counts): it keeps its type.
        if (values.Count == 1) return values[0];
        if (values.All(v => v is ObjectNode))
        {
            var merged = ((ObjectNode)values[0]).Clone();
            foreach (var later in values.Skip(1).Cast<ObjectNode>()) merged.MergeFrom(later);
            return merged;
        }
        if (values.All(v => v is ArrayNode))
            return new ArrayNode(values.Cast<ArrayNode>().SelectMany(a => a.Items).ToList(), origin);
        if (values.Any(v => v is ObjectNode or ArrayNode))
            throw new HoconException(origin, 0, 0, "cannot concatenate an object or a list with a string");

        // String concatenation: whitespace between values is kept, whitespace at either end is not.
        var first = pieces.FindIndex(p => p is TreeNode);
        var last = pieces.FindLastIndex(p => p is TreeNode);
        var text = new StringBuilder();
        for (var i = first; i <= last; i++)
            text.Append(pieces[i] is ScalarNode s ? s.Text ?? "null" : pieces[i] as string);
        return new ScalarNode(HoconScalarKind.String, text.ToString(), origin);
    }

    private static HoconValue Freeze(TreeNode node) => node switch
    {
        ObjectNode obj => new HoconObject(obj.Keys.Select(k => (k, Freeze(obj.Fields[k]))).ToList(), obj.Origin),
        ArrayNode array => new HoconArray(array.Items.Select(Freeze).ToList(), array.Origin),
        ScalarNode scalar => new HoconScalar(scalar.Kind, scalar.Text, scalar.Origin),
        _ => throw new InvalidOperationException("unresolved value after resolution"),
    };
}
