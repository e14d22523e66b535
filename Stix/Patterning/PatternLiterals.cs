using System.Text;

namespace ThreatGraph.Stix.Patterning;

/// <summary>The kinds of constant a STIX pattern can compare against (section 9.2 of STIX 2.1).</summary>
public enum PatternLiteralKind
{
    String,
    Integer,
    Float,
    Boolean,
    Timestamp,
    Hex,
    Binary,
}

/// <summary>The right-hand side of a comparison: a single literal or a set.</summary>
public abstract record PatternValue;

/// <summary>A constant. <see cref="Value"/> is its text value: strings unescaped, timestamps, hex and base64
/// without the <c>t'…'</c>/<c>h'…'</c>/<c>b'…'</c> wrapper, numbers without a leading <c>+</c>.</summary>
public sealed record PatternLiteral(PatternLiteralKind Kind, string Value) : PatternValue
{
    /// <summary>The literal as it would be written in a pattern.</summary>
    public override string ToString() => Kind switch
    {
        PatternLiteralKind.String => Quote(Value),
        PatternLiteralKind.Timestamp => "t'" + Value + "'",
        PatternLiteralKind.Hex => "h'" + Value + "'",
        PatternLiteralKind.Binary => "b'" + Value + "'",
        _ => Value,
    };

    /// <summary>Writes <paramref name="text"/> as a pattern string literal, escaping <c>'</c> and <c>\</c>.</summary>
    public static string Quote(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('\'');
        foreach (var c in text)
        {
            if (c is '\'' or '\\')
            {
                sb.Append('\\');
            }
            sb.Append(c);
        }
        return sb.Append('\'').ToString();
    }
}

/// <summary>The set after <c>IN</c>, e.g. <c>('a', 'b')</c>; may be empty.</summary>
public sealed record PatternSet(IReadOnlyList<PatternLiteral> Members) : PatternValue
{
    public override string ToString() => "(" + string.Join(", ", Members) + ")";
}
