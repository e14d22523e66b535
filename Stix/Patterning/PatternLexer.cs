using System.Text;

namespace ThreatGraph.Stix.Patterning;

/// <summary>Turns a pattern into tokens per the lexer rules of the OASIS STIXPattern grammar: longest match,
/// case-sensitive keywords, whitespace and <c>/* */</c>, <c>//</c> comments skipped. The first lexical error
/// becomes an error token and ends the stream, so the parser reports it only if no syntax error comes first.</summary>
internal sealed class PatternLexer
{
    private static readonly HashSet<string> Keywords =
    [
        "AND", "OR", "NOT", "FOLLOWEDBY", "LIKE", "MATCHES", "ISSUPERSET", "ISSUBSET", "EXISTS", "LAST", "IN",
        "START", "STOP", "SECONDS", "WITHIN", "REPEATS", "TIMES",
    ];

    private readonly string _text;
    private int _pos;

    private PatternLexer(string text) => _text = text;

    /// <summary>Reserved words, including <c>true</c>/<c>false</c>; these can never be bare identifiers.</summary>
    public static bool IsKeyword(string word) => Keywords.Contains(word) || word is "true" or "false";

    /// <summary>The uppercase keyword that <paramref name="word"/> misspells only in case (<c>and</c> → <c>AND</c>), else null.</summary>
    public static string? KeywordIgnoringCase(string word)
    {
        var upper = word.ToUpperInvariant();
        return upper != word && Keywords.Contains(upper) ? upper : null;
    }

    /// <summary><c>[a-zA-Z_][a-zA-Z0-9_]*</c></summary>
    public static bool IsPlainIdentifier(string s)
    {
        if (s.Length == 0 || !IsIdentifierStart(s[0]))
        {
            return false;
        }
        foreach (var c in s)
        {
            if (!IsIdentifierStart(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    public static List<PatternToken> Tokenize(string text)
    {
        var lexer = new PatternLexer(text);
        var tokens = new List<PatternToken>();
        while (true)
        {
            var token = lexer.Next();
            tokens.Add(token);
            if (token.Kind is PatternTokenKind.End or PatternTokenKind.Error)
            {
                return tokens;
            }
        }
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n' or '\u000B' or '\u000C' or '\u0085'
        or '\u00a0' or '\u1680' or (>= '\u2000' and <= '\u200a') or '\u2028' or '\u2029' or '\u202f' or '\u205f' or '\u3000';

    private char Peek(int offset = 0) => _pos + offset < _text.Length ? _text[_pos + offset] : '\0';

    private bool AtEnd(int offset = 0) => _pos + offset >= _text.Length;

    private static PatternToken Fail(int position, string message) =>
        new(PatternTokenKind.Error, "", "", position) { Error = new PatternError(position, message) };

    private PatternToken Next()
    {
        var skipError = SkipTrivia();
        if (skipError is not null)
        {
            return skipError;
        }
        if (AtEnd())
        {
            return new PatternToken(PatternTokenKind.End, "", "", _text.Length);
        }
        var start = _pos;
        var c = Peek();
        if (IsIdentifierStart(c))
        {
            if (c is 't' or 'h' or 'b' && Peek(1) == '\'')
            {
                return LexTypedLiteral(c);
            }
            return LexIdentifier();
        }
        if (char.IsAsciiDigit(c) || c is '+' or '-' or '.')
        {
            var number = LexNumber();
            if (number is not null)
            {
                return number;
            }
        }
        if (c == '\'')
        {
            return LexString();
        }
        string? symbol = c switch
        {
            '=' => Peek(1) == '=' ? "==" : "=",
            '!' => Peek(1) == '=' ? "!=" : null,
            '<' => Peek(1) switch { '=' => "<=", '>' => "<>", _ => "<" },
            '>' => Peek(1) == '=' ? ">=" : ">",
            ':' or '.' or ',' or '(' or ')' or '[' or ']' or '+' or '-' or '^' or '/' or '*' => c.ToString(),
            _ => null,
        };
        if (symbol is null)
        {
            var shown = char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString();
            return Fail(start, $"unexpected character '{shown}' at {start}");
        }
        _pos += symbol.Length;
        var normalised = symbol switch { "==" => "=", "<>" => "!=", _ => symbol };
        return new PatternToken(PatternTokenKind.Symbol, normalised, symbol, start);
    }

    private PatternToken? SkipTrivia()
    {
        while (!AtEnd())
        {
            var c = Peek();
            if (IsWhitespace(c))
            {
                _pos++;
            }
            else if (c == '/' && Peek(1) == '*')
            {
                var close = _text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                if (close < 0)
                {
                    return Fail(_pos, $"unterminated comment starting at {_pos}");
                }
                _pos = close + 2;
            }
            else if (c == '/' && Peek(1) == '/')
            {
                while (!AtEnd() && Peek() is not '\r' and not '\n')
                {
                    _pos++;
                }
            }
            else
            {
                break;
            }
        }
        return null;
    }

    private PatternToken LexIdentifier()
    {
        var start = _pos;
        var hasHyphen = false;
        _pos++;
        while (!AtEnd() && (IsIdentifierStart(Peek()) || char.IsAsciiDigit(Peek()) || Peek() == '-'))
        {
            hasHyphen |= Peek() == '-';
            _pos++;
        }
        var word = _text[start.._pos];
        if (!hasHyphen && Keywords.Contains(word))
        {
            return new PatternToken(PatternTokenKind.Keyword, word, word, start);
        }
        if (word is "true" or "false")
        {
            return new PatternToken(PatternTokenKind.Boolean, word, word, start);
        }
        return new PatternToken(PatternTokenKind.Identifier, word, word, start, hasHyphen);
    }

    /// <summary>IntPos/IntNeg/FloatPos/FloatNeg, longest match; null when the text at hand is a lone
    /// <c>+</c>, <c>-</c> or <c>.</c> symbol instead.</summary>
    private PatternToken? LexNumber()
    {
        var start = _pos;
        var i = _pos;
        if (Peek() is '+' or '-')
        {
            i++;
        }
        var digitsStart = i;
        while (i < _text.Length && char.IsAsciiDigit(_text[i]))
        {
            i++;
        }
        var intDigits = i - digitsStart;
        if (i + 1 < _text.Length && _text[i] == '.' && char.IsAsciiDigit(_text[i + 1]))
        {
            i++;
            while (i < _text.Length && char.IsAsciiDigit(_text[i]))
            {
                i++;
            }
            _pos = i;
            var raw = _text[start.._pos];
            return new PatternToken(PatternTokenKind.Float, raw.TrimStart('+'), raw, start);
        }
        if (intDigits == 0)
        {
            return null;
        }
        if (intDigits > 1 && _text[digitsStart] == '0')
        {
            return Fail(digitsStart, $"integer '{_text[start..i]}' has a leading zero at {digitsStart}");
        }
        _pos = i;
        var text = _text[start.._pos];
        return new PatternToken(PatternTokenKind.Integer, text.TrimStart('+'), text, start);
    }

    private PatternToken LexString()
    {
        var start = _pos;
        var sb = new StringBuilder();
        _pos++;
        while (true)
        {
            if (AtEnd())
            {
                return Fail(start, $"unterminated string starting at {start}");
            }
            var c = Peek();
            if (c == '\'')
            {
                _pos++;
                return new PatternToken(PatternTokenKind.String, sb.ToString(), _text[start.._pos], start);
            }
            if (c == '\\')
            {
                if (AtEnd(1))
                {
                    return Fail(start, $"unterminated string starting at {start}");
                }
                var escaped = Peek(1);
                if (escaped is not '\'' and not '\\')
                {
                    return Fail(_pos, $"invalid escape '\\{escaped}' in string at {_pos}: only \\' and \\\\ are allowed");
                }
                sb.Append(escaped);
                _pos += 2;
                continue;
            }
            sb.Append(c);
            _pos++;
        }
    }

    private PatternToken LexTypedLiteral(char prefix)
    {
        var start = _pos;
        var contentStart = _pos + 2;
        var close = _text.IndexOf('\'', contentStart);
        var name = prefix switch { 't' => "timestamp", 'h' => "hex", _ => "binary" };
        if (close < 0)
        {
            return Fail(start, $"unterminated {name} literal starting at {start}");
        }
        var content = _text[contentStart..close];
        var problem = prefix switch
        {
            't' => PatternTimestamp.Validate(content),
            'h' => ValidateHex(content),
            _ => ValidateBase64(content),
        };
        if (problem is { } p)
        {
            var at = p.Offset < 0 ? start : contentStart + p.Offset;
            return Fail(at, $"invalid {name} literal at {at}: {p.Reason}");
        }
        _pos = close + 1;
        var kind = prefix switch { 't' => PatternTokenKind.Timestamp, 'h' => PatternTokenKind.Hex, _ => PatternTokenKind.Binary };
        return new PatternToken(kind, content, _text[start.._pos], start);
    }

    /// <summary>An even number of hex digits. Offset -1 means the literal as a whole.</summary>
    private static (int Offset, string Reason)? ValidateHex(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (!char.IsAsciiHexDigit(s[i]))
            {
                return (i, $"'{s[i]}' is not a hex digit");
            }
        }
        return s.Length % 2 == 0 ? null : (-1, "a hex literal needs an even number of digits");
    }

    /// <summary>Base64: groups of four of [A-Za-z0-9+/], at least one group, '=' padding only at the end.</summary>
    private static (int Offset, string Reason)? ValidateBase64(string s)
    {
        var padding = s.Length - s.TrimEnd('=').Length;
        for (var i = 0; i < s.Length - padding; i++)
        {
            var c = s[i];
            if (!char.IsAsciiLetterOrDigit(c) && c is not '+' and not '/')
            {
                return (i, c == '=' ? "'=' padding is only allowed at the end" : $"'{c}' is not a base64 character");
            }
        }
        if (padding > 2)
        {
            return (s.Length - padding, "at most two '=' padding characters are allowed");
        }
        if (s.Length == 0 || s.Length % 4 != 0)
        {
            return (-1, "base64 content must be a non-empty multiple of 4 characters");
        }
        return null;
    }
}
