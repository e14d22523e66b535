namespace ThreatGraph.Stix.Patterning;

internal enum PatternTokenKind
{
    Identifier,
    Keyword,
    String,
    Integer,
    Float,
    Boolean,
    Timestamp,
    Hex,
    Binary,
    Symbol,
    End,
    Error,
}

/// <summary>A lexed token. <see cref="Text"/> is the value (unescaped string, keyword, symbol normalised so
/// <c>==</c> is <c>=</c> and <c>&lt;&gt;</c> is <c>!=</c>); <see cref="Raw"/> is the source slice.
/// An <see cref="PatternTokenKind.Error"/> token carries the lexical error; lexing stops there.</summary>
internal sealed record PatternToken(PatternTokenKind Kind, string Text, string Raw, int Position, bool HasHyphen = false)
{
    public PatternError? Error { get; init; }

    public bool IsKeyword(string keyword) => Kind == PatternTokenKind.Keyword && Text == keyword;

    public bool IsSymbol(string symbol) => Kind == PatternTokenKind.Symbol && Text == symbol;

    /// <summary>How the token reads in an error message.</summary>
    public string Describe()
    {
        if (Kind == PatternTokenKind.End)
        {
            return "end of pattern";
        }
        var raw = Raw.Length > 32 ? Raw[..32] + "…" : Raw;
        return Kind switch
        {
            PatternTokenKind.String => "string " + raw,
            PatternTokenKind.Timestamp or PatternTokenKind.Hex or PatternTokenKind.Binary => raw,
            _ => "'" + raw + "'",
        };
    }
}
