namespace Direkt.Hocon;

// The document as written, before includes, merges and substitutions are applied.

internal abstract record Entry(int Line);
internal sealed record FieldEntry(IReadOnlyList<string> Path, bool Append, ValueSyntax Value, int Line) : Entry(Line);
internal sealed record IncludeEntry(string Target, bool Required, int Line) : Entry(Line);

internal abstract record Part(int Line);
internal sealed record ObjectSyntax(IReadOnlyList<Entry> Entries, int Line) : Part(Line);
internal sealed record ArraySyntax(IReadOnlyList<ValueSyntax> Items, int Line) : Part(Line);
internal sealed record LiteralSyntax(string Text, bool Quoted, int Line) : Part(Line);
internal sealed record WhitespaceSyntax(string Text, int Line) : Part(Line);
internal sealed record SubstitutionSyntax(string Path, bool Optional, int Line, int Column) : Part(Line);

/// <summary>One value: a single part, or several concatenated (strings, arrays or objects).</summary>
internal sealed record ValueSyntax(IReadOnlyList<Part> Parts, int Line);
