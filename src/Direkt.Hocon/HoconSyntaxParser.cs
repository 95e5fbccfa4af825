using System.Text;

namespace Direkt.Hocon;

/// <summary>Turns tokens into <see cref="ObjectSyntax"/>: fields with path keys, includes, and values as lists of parts.</summary>
internal sealed class HoconSyntaxParser(List<Token> tokens, string origin)
{
    private int _pos;

    private Token Peek => tokens[_pos];
    private Token Advance() => tokens[_pos++];

    private HoconException Error(Token at, string message) => new(origin, at.Line, at.Column, message);

    public ObjectSyntax ParseDocument()
    {
        SkipWhitespace(newlines: true);
        ObjectSyntax root;
        if (Peek.Kind == TokenKind.OpenBrace) root = ParseObject();
        else root = ParseFields(TokenKind.End, Peek.Line);
        SkipWhitespace(newlines: true);
        if (Peek.Kind != TokenKind.End) throw Error(Peek, $"unexpected '{Peek.Text}' after the end of the document");
        return root;
    }

    public ValueSyntax ParseSingleValue()
    {
        SkipWhitespace(newlines: true);
        var value = ParseValue();
        SkipWhitespace(newlines: true);
        if (Peek.Kind != TokenKind.End) throw Error(Peek, $"unexpected '{Peek.Text}' after the value");
        return value;
    }

    private ObjectSyntax ParseObject()
    {
        var open = Advance();
        var obj = ParseFields(TokenKind.CloseBrace, open.Line);
        Advance();
        return obj;
    }

    private ObjectSyntax ParseFields(TokenKind end, int line)
    {
        var entries = new List<Entry>();
        while (true)
        {
            SkipWhitespace(newlines: true);
            if (Peek.Kind == end) return new ObjectSyntax(entries, line);
            if (Peek.Kind == TokenKind.End) throw Error(Peek, "missing '}' at the end of an object");
            entries.Add(ParseEntry());
            SkipWhitespace(newlines: false);
            if (Peek.Kind == TokenKind.Comma) { Advance(); continue; }
            if (Peek.Kind == TokenKind.Newline || Peek.Kind == end) continue;
            throw Error(Peek, $"expected ',' or a new line after a field, found '{Peek.Text}'");
        }
    }

    private Entry ParseEntry()
    {
        var start = Peek;
        if (start is { Kind: TokenKind.UnquotedText, Text: "include" } && tokens[_pos + 1].Kind == TokenKind.Whitespace)
            return ParseInclude();

        var path = ParseKey();
        SkipWhitespace(newlines: false);
        var op = Peek;
        bool append = false;
        switch (op.Kind)
        {
            case TokenKind.OpenBrace:
                break;
            case TokenKind.Equals or TokenKind.Colon:
                Advance();
                break;
            case TokenKind.PlusEquals:
                Advance();
                append = true;
                break;
            default:
                throw Error(op, $"expected '=', ':' or '{{' after the key '{HoconPath.Join(path)}', found '{Describe(op)}'");
        }
        SkipWhitespace(newlines: true);
        if (Peek.Kind is TokenKind.Comma or TokenKind.CloseBrace or TokenKind.End)
            throw Error(Peek, $"missing value for '{HoconPath.Join(path)}'");
        return new FieldEntry(path, append, ParseValue(), start.Line);
    }

    private IReadOnlyList<string> ParseKey()
    {
        var segments = new List<string>();
        var current = new StringBuilder();
        var any = false;
        var start = Peek;
        while (Peek.Kind is TokenKind.UnquotedText or TokenKind.QuotedString or TokenKind.Whitespace)
        {
            var token = Peek;
            if (token.Kind == TokenKind.Whitespace)
            {
                // Whitespace inside a key only counts between key parts, never before the separator.
                var next = tokens[_pos + 1];
                if (next.Kind is not (TokenKind.UnquotedText or TokenKind.QuotedString)) break;
                current.Append(token.Text);
                Advance();
                continue;
            }
            Advance();
            any = true;
            if (token.Kind == TokenKind.QuotedString)
            {
                current.Append(token.Text);
                continue;
            }
            foreach (var c in token.Text)
            {
                if (c != '.') { current.Append(c); continue; }
                if (current.Length == 0) throw Error(token, $"empty segment in key '{token.Text}'");
                segments.Add(current.ToString());
                current.Clear();
            }
            if (token.Text.EndsWith('.') && Peek.Kind is not (TokenKind.QuotedString or TokenKind.UnquotedText))
                throw Error(token, $"key '{token.Text}' ends with '.'");
        }
        if (!any) throw Error(start, $"expected a key, found '{Describe(start)}'");
        segments.Add(current.ToString());
        return segments;
    }

    private IncludeEntry ParseInclude()
    {
        var start = Advance();
        SkipWhitespace(newlines: false);
        var required = false;
        var wrappers = 0;
        while (Peek.Kind == TokenKind.UnquotedText)
        {
            var text = Peek.Text;
            var rest = text;
            while (rest.Length > 0)
            {
                if (rest.StartsWith("required(", StringComparison.Ordinal)) { required = true; rest = rest["required(".Length..]; }
                else if (rest.StartsWith("file(", StringComparison.Ordinal)) rest = rest["file(".Length..];
                else if (rest.StartsWith("url(", StringComparison.Ordinal) || rest.StartsWith("classpath(", StringComparison.Ordinal))
                    throw Error(Peek, "only file includes are supported (include \"x.conf\", file(\"x.conf\"), required(file(\"x.conf\")))");
                else throw Error(Peek, $"unexpected '{text}' in include");
                wrappers++;
            }
            Advance();
        }
        if (Peek.Kind != TokenKind.QuotedString) throw Error(Peek, "include needs a quoted file name");
        var target = Advance().Text;
        for (var closed = 0; closed < wrappers;)
        {
            if (Peek.Kind != TokenKind.UnquotedText || Peek.Text.Any(c => c != ')'))
                throw Error(Peek, "missing ')' in include");
            closed += Advance().Text.Length;
            if (closed > wrappers) throw Error(start, "too many ')' in include");
        }
        return new IncludeEntry(target, required, start.Line);
    }

    private ValueSyntax ParseValue()
    {
        var parts = new List<Part>();
        var line = Peek.Line;
        while (true)
        {
            var token = Peek;
            switch (token.Kind)
            {
                case TokenKind.OpenBrace: parts.Add(ParseObject()); break;
                case TokenKind.OpenBracket: parts.Add(ParseArray()); break;
                case TokenKind.QuotedString: Advance(); parts.Add(new LiteralSyntax(token.Text, true, token.Line)); break;
                case TokenKind.UnquotedText: Advance(); parts.Add(new LiteralSyntax(token.Text, false, token.Line)); break;
                case TokenKind.Substitution: Advance(); parts.Add(new SubstitutionSyntax(token.Text, token.Optional, token.Line, token.Column)); break;
                case TokenKind.Whitespace: Advance(); parts.Add(new WhitespaceSyntax(token.Text, token.Line)); break;
                case TokenKind.Comma or TokenKind.Newline or TokenKind.CloseBrace or TokenKind.CloseBracket or TokenKind.End:
                    while (parts.Count > 0 && parts[^1] is WhitespaceSyntax) parts.RemoveAt(parts.Count - 1);
                    if (parts.Count == 0) throw Error(token, "expected a value");
                    return new ValueSyntax(parts, line);
                default:
                    throw Error(token, $"unexpected '{token.Text}' in a value (quote strings that contain it)");
            }
        }
    }

    private ArraySyntax ParseArray()
    {
        var open = Advance();
        var items = new List<ValueSyntax>();
        while (true)
        {
            SkipWhitespace(newlines: true);
            if (Peek.Kind == TokenKind.CloseBracket) { Advance(); return new ArraySyntax(items, open.Line); }
            if (Peek.Kind == TokenKind.End) throw Error(open, "missing ']' at the end of a list");
            items.Add(ParseValue());
            SkipWhitespace(newlines: false);
            if (Peek.Kind == TokenKind.Comma) { Advance(); continue; }
            if (Peek.Kind is TokenKind.Newline or TokenKind.CloseBracket) continue;
            throw Error(Peek, $"expected ',' or ']' in a list, found '{Describe(Peek)}'");
        }
    }

    private void SkipWhitespace(bool newlines)
    {
        while (Peek.Kind == TokenKind.Whitespace || (newlines && Peek.Kind == TokenKind.Newline)) Advance();
    }

    private static string Describe(Token token) => token.Kind switch
    {
        TokenKind.End => "end of input",
        TokenKind.Newline => "end of line",
        _ => token.Text,
    };
}
