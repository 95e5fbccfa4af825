using System.Text.RegularExpressions;

namespace Direkt.Hocon;

/// <summary>Applies parsed documents (and their includes) to one <see cref="ObjectNode"/> in document order.</summary>
internal sealed partial class HoconBuilder
{
    private const int MaxIncludeDepth = 32;

    public sealed record Source(string Origin, string BaseDirectory, int Depth);

    public void Apply(ObjectNode target, IReadOnlyList<string> prefix, ObjectSyntax syntax, Source source)
    {
        foreach (var entry in syntax.Entries)
        {
            switch (entry)
            {
                case IncludeEntry include:
                    ApplyInclude(target, prefix, include, source);
                    break;
                case FieldEntry field:
                    ApplyField(target, prefix, field, source);
                    break;
            }
        }
    }

    private void ApplyInclude(ObjectNode target, IReadOnlyList<string> prefix, IncludeEntry include, Source source)
    {
        if (source.Depth >= MaxIncludeDepth)
            throw new HoconException(source.Origin, include.Line, 0, "includes nest too deeply (a cycle?)");
        var path = Path.IsPathRooted(include.Target) ? include.Target : Path.Combine(source.BaseDirectory, include.Target);
        if (!File.Exists(path))
        {
            if (include.Required) throw new HoconException(source.Origin, include.Line, 0, $"required include '{include.Target}' does not exist");
            return;
        }
        var origin = include.Target;
        var text = File.ReadAllText(path);
        var tokens = new HoconTokenizer(text, origin).Tokenize();
        var document = new HoconSyntaxParser(tokens, origin).ParseDocument();
        Apply(target, prefix, document,
            new Source(origin, Path.GetDirectoryName(Path.GetFullPath(path)) ?? source.BaseDirectory, source.Depth + 1));
    }

    private void ApplyField(ObjectNode target, IReadOnlyList<string> prefix, FieldEntry field, Source source)
    {
        // a.b.c = v is a { b { c = v } }: walk (or create) the objects along the key.
        var parent = target;
        for (var i = 0; i < field.Path.Count - 1; i++)
        {
            if (parent.Get(field.Path[i]) is ObjectNode existingChild) { parent = existingChild; continue; }
            var child = new ObjectNode(Origin(source, field.Line));
            parent.Set(field.Path[i], child);
            parent = child;
        }

        var key = field.Path[^1];
        var fullPath = prefix.Concat(field.Path).ToList();
        var existing = parent.Get(key);
        var value = Convert(field.Value, fullPath, source);
        if (field.Append)
        {
            // a += b is a = ${?a} [b]
            value = new PendingNode(
            [
                new ReferencePart(fullPath, HoconPath.Join(fullPath), true, source.Origin, field.Line, 0),
                new SpacePart(" "),
                new NodePart(new ArrayNode([value], value.Origin)),
            ], value.Origin);
        }

        if (value is PendingNode pending)
        {
            BindSelfReferences(pending, fullPath, existing);
            pending.Previous = existing;
            parent.Set(key, pending);
        }
        else if (value is ObjectNode obj && existing is ObjectNode earlier)
            earlier.MergeFrom(obj);
        else
            parent.Set(key, value);
    }

    // A substitution of the field's own path means "the value before this assignment" (path = ${path} [x]).
    private static void BindSelfReferences(PendingNode pending, IReadOnlyList<string> fullPath, TreeNode? existing)
    {
        for (var i = 0; i < pending.Parts.Count; i++)
        {
            if (pending.Parts[i] is not ReferencePart reference || !reference.Path.SequenceEqual(fullPath)) continue;
            if (existing is null && !reference.Optional) continue; // resolved later: environment, or a clear error
            pending.Parts[i] = new BoundPart(existing);
        }
    }

    public TreeNode Convert(ValueSyntax value, IReadOnlyList<string> path, Source source)
    {
        var origin = Origin(source, value.Line);
        if (value.Parts is [ObjectSyntax single])
        {
            var obj = new ObjectNode(Origin(source, single.Line));
            Apply(obj, path, single, source);
            return obj;
        }
        if (value.Parts is [ArraySyntax array])
            return new ArrayNode(array.Items.Select(item => Convert(item, path, source)).ToList(), Origin(source, array.Line));
        if (value.Parts is [LiteralSyntax literal])
            return Scalar(literal, origin);
        if (value.Parts.All(p => p is LiteralSyntax or WhitespaceSyntax))
            return new ScalarNode(HoconScalarKind.String, string.Concat(value.Parts.Select(Text)), origin);

        var parts = value.Parts.Select(part => part switch
        {
            ObjectSyntax or ArraySyntax => new NodePart(Convert(new ValueSyntax([part], part.Line), path, source)),
            LiteralSyntax l => new NodePart(Scalar(l, origin)),
            WhitespaceSyntax w => (PendingPart)new SpacePart(w.Text),
            SubstitutionSyntax s => new ReferencePart(HoconPath.Split(s.Path), s.Path, s.Optional, source.Origin, s.Line, s.Column),
            _ => throw new InvalidOperationException(),
        }).ToList();
        return new PendingNode(parts, origin);
    }

    private static string Text(Part part) => part switch
    {
        LiteralSyntax l => l.Text,
        WhitespaceSyntax w => w.Text,
        _ => "",
    };

    private static ScalarNode Scalar(LiteralSyntax literal, string origin)
    {
        if (literal.Quoted) return new ScalarNode(HoconScalarKind.String, literal.Text, origin);
        return literal.Text switch
        {
            "true" or "false" => new ScalarNode(HoconScalarKind.Boolean, literal.Text, origin),
            "null" => new ScalarNode(HoconScalarKind.Null, null, origin),
            _ when NumberPattern().IsMatch(literal.Text) => new ScalarNode(HoconScalarKind.Number, literal.Text, origin),
            _ => new ScalarNode(HoconScalarKind.String, literal.Text, origin),
        };
    }

    private static string Origin(Source source, int line) => $"{source.Origin}:{line}";

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")]
    private static partial Regex NumberPattern();
}
