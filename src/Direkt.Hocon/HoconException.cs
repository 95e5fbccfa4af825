namespace Direkt.Hocon;

/// <summary>A syntax or resolution error, with where it happened.</summary>
public sealed class HoconException : Exception
{
    public HoconException(string origin, int line, int column, string message)
        : base(column > 0 ? $"{origin}:{line}:{column}: {message}" : $"{origin}:{line}: {message}")
    {
        Origin = origin;
        Line = line;
        Column = column;
    }

    public string Origin { get; }
    public int Line { get; }
    public int Column { get; }
}
