using System.Text;

namespace Direkt.Hocon;

internal enum TokenKind
{
    OpenBrace, CloseBrace, OpenBracket, CloseBracket, Comma, Equals, Colon, PlusEquals,
    Newline, Whitespace, QuotedString, UnquotedText, Substitution, End,
}

internal readonly record struct Token(TokenKind Kind, string Text, int Line, int Column, bool Optional = false);

/// <summary>Splits HOCON text into tokens. Comments are dropped (a line comment still ends its line); whitespace is kept
/// because it matters inside value concatenations.</summary>
internal sealed class HoconTokenizer(string text, string origin, bool allowComments = true)
{
    private const string Forbidden = "$\"{}[]:=,+#`^?!@*&\\";
    private int _pos;
    private int _line = 1;
    private int _column = 1;

    public List<Token> Tokenize()
    {
        var tokens = new List<Token>();
        while (true)
        {
            var token = Next();
            tokens.Add(token);
            if (token.Kind == TokenKind.End) return tokens;
        }
    }

    private char Peek(int ahead = 0) => _pos + ahead < text.Length ? text[_pos + ahead] : '\0';

    private char Advance()
    {
        var c = text[_pos++];
        if (c == '\n') { _line++; _column = 1; }
        else _column++;
        return c;
    }

    private HoconException Error(string message) => new(origin, _line, _column, message);

    private Token Next()
    {
        if (_pos >= text.Length) return new Token(TokenKind.End, "", _line, _column);
        var (line, column) = (_line, _column);
        var c = Peek();

        if (c == '#' || (c == '/' && Peek(1) == '/'))
        {
            if (!allowComments) throw Error("a comment is not allowed here");
            while (_pos < text.Length && Peek() != '\n') Advance();
            return Next();
        }
        if (c == '\n') { Advance(); return new Token(TokenKind.Newline, "\n", line, column); }
        if (IsWhitespace(c))
        {
            var ws = new StringBuilder();
            while (_pos < text.Length && IsWhitespace(Peek())) ws.Append(Advance());
            return new Token(TokenKind.Whitespace, ws.ToString(), line, column);
        }
        switch (c)
        {
            case '{': Advance(); return new Token(TokenKind.OpenBrace, "{", line, column);
            case '}': Advance(); return new Token(TokenKind.CloseBrace, "}", line, column);
            case '[': Advance(); return new Token(TokenKind.OpenBracket, "[", line, column);
            case ']': Advance(); return new Token(TokenKind.CloseBracket, "]", line, column);
            case ',': Advance(); return new Token(TokenKind.Comma, ",", line, column);
            case '=': Advance(); return new Token(TokenKind.Equals, "=", line, column);
            case ':': Advance(); return new Token(TokenKind.Colon, ":", line, column);
            case '+' when Peek(1) == '=': Advance(); Advance(); return new Token(TokenKind.PlusEquals, "+=", line, column);
            case '"' when Peek(1) == '"' && Peek(2) == '"': return TripleQuoted(line, column);
            case '"': return Quoted(line, column);
            case '$' when Peek(1) == '{': return Substitution(line, column);
        }
        if (Forbidden.Contains(c)) throw Error($"unexpected character '{c}' (quote the string if it is part of a value)");
        return Unquoted(line, column);
    }

    private static bool IsWhitespace(char c) => c != '\n' && (char.IsWhiteSpace(c) || c == '\uFEFF');

    private Token Unquoted(int line, int column)
    {
        var sb = new StringBuilder();
        while (_pos < text.Length)
        {
            var c = Peek();
            if (c == '\n' || IsWhitespace(c) || Forbidden.Contains(c) || (c == '/' && Peek(1) == '/')) break;
            sb.Append(Advance());
        }
        return new Token(TokenKind.UnquotedText, sb.ToString(), line, column);
    }

    private Token Quoted(int line, int column)
    {
        Advance();
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= text.Length || Peek() == '\n') throw new HoconException(origin, line, column, "unterminated quoted string");
            var c = Advance();
            if (c == '"') return new Token(TokenKind.QuotedString, sb.ToString(), line, column);
            if (c != '\\') { sb.Append(c); continue; }
            if (_pos >= text.Length) throw Error("unterminated escape sequence");
            var e = Advance();
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    var hex = _pos + 4 <= text.Length ? text.Substring(_pos, 4) : "";
                    if (!int.TryParse(hex, System.Globalization.NumberStyles.HexNumber, null, out var code)) throw Error("bad \\u escape");
                    for (var i = 0; i < 4; i++) Advance();
                    sb.Append((char)code);
                    break;
                default: throw Error($"unknown escape '\\{e}'");
            }
        }
    }

    private Token TripleQuoted(int line, int column)
    {
        for (var i = 0; i < 3; i++) Advance();
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= text.Length) throw new HoconException(origin, line, column, "unterminated triple-quoted string");
            if (Peek() == '"' && Peek(1) == '"' && Peek(2) == '"')
            {
                // Extra quotes before the closing three belong to the string.
                while (Peek(3) == '"') sb.Append(Advance());
                for (var i = 0; i < 3; i++) Advance();
                return new Token(TokenKind.QuotedString, sb.ToString(), line, column);
            }
            sb.Append(Advance());
        }
    }

    private Token Substitution(int line, int column)
    {
        Advance(); Advance();
        var optional = false;
        if (Peek() == '?') { optional = true; Advance(); }
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= text.Length || Peek() == '\n') throw new HoconException(origin, line, column, "unterminated substitution ${…}");
            var c = Advance();
            if (c == '}') break;
            if (c == '"')
            {
                sb.Append('"');
                while (_pos < text.Length && Peek() != '"') sb.Append(Advance());
                if (_pos >= text.Length) throw Error("unterminated quoted path");
                sb.Append(Advance());
                continue;
            }
            sb.Append(c);
        }
        var path = sb.ToString().Trim();
        if (path.Length == 0) throw new HoconException(origin, line, column, "empty substitution ${}");
        return new Token(TokenKind.Substitution, path, line, column, optional);
    }
}
