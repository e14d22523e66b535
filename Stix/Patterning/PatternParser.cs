using System.Globalization;

namespace ThreatGraph.Stix.Patterning;

/// <summary>Recursive-descent parser for the STIX 2.1 patterning language (OASIS STIXPattern.g4).
/// Stops at the first error; <see cref="PatternSyntaxException"/> carries it out to <see cref="StixPattern.Parse"/>.</summary>
internal sealed class PatternParser
{
    /// <summary>Brackets and parentheses may nest this deep; deeper input is rejected instead of exhausting the stack.</summary>
    public const int MaxNestingDepth = 100;

    private readonly List<PatternToken> _tokens;
    private int _index;
    private int _depth;

    private PatternParser(List<PatternToken> tokens) => _tokens = tokens;

    private PatternToken Current => _tokens[_index];

    public static PatternExpression Parse(string pattern)
    {
        var parser = new PatternParser(PatternLexer.Tokenize(pattern));
        var expression = parser.ParseObservationExpressions();
        if (parser.Current.Kind != PatternTokenKind.End)
        {
            throw parser.Unexpected("AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern");
        }
        return expression;
    }

    // ---- tokens -------------------------------------------------------------------------------------

    private PatternToken Advance()
    {
        var token = Current;
        if (token.Kind == PatternTokenKind.Error)
        {
            throw new PatternSyntaxException(token.Error!);
        }
        if (token.Kind != PatternTokenKind.End)
        {
            _index++;
        }
        return token;
    }

    /// <summary>Error at the current token. A lexical error there wins: it is the first thing wrong.</summary>
    private PatternSyntaxException Error(string message)
    {
        if (Current.Kind == PatternTokenKind.Error)
        {
            return new PatternSyntaxException(Current.Error!);
        }
        var hint = Current.Kind == PatternTokenKind.Identifier && PatternLexer.KeywordIgnoringCase(Current.Text) is { } keyword
            ? $" (keywords are case-sensitive: write '{keyword}')"
            : "";
        return new PatternSyntaxException(new PatternError(Current.Position, $"{message} at {Current.Position}{hint}"));
    }

    private PatternSyntaxException Unexpected(string expected) => Error($"expected {expected} but found {Current.Describe()}");

    /// <summary>Consumes <paramref name="symbol"/>; otherwise fails saying what was <paramref name="expected"/> here.</summary>
    private void ExpectSymbol(string symbol, string expected)
    {
        if (!Current.IsSymbol(symbol))
        {
            throw Unexpected(expected);
        }
        Advance();
    }

    private void EnterNesting()
    {
        if (++_depth > MaxNestingDepth)
        {
            throw Error($"brackets and parentheses nest deeper than {MaxNestingDepth} levels");
        }
    }

    // ---- observation expressions ---------------------------------------------------------------------

    private PatternExpression ParseObservationExpressions() =>
        ParseObservationChain(ObservationOperator.FollowedBy, "FOLLOWEDBY", ParseObservationOr);

    private PatternExpression ParseObservationOr() =>
        ParseObservationChain(ObservationOperator.Or, "OR", ParseObservationAnd);

    private PatternExpression ParseObservationAnd() =>
        ParseObservationChain(ObservationOperator.And, "AND", ParseQualifiedObservation);

    private PatternExpression ParseObservationChain(ObservationOperator op, string keyword, Func<PatternExpression> operand)
    {
        var first = operand();
        if (!Current.IsKeyword(keyword))
        {
            return first;
        }
        var operands = new List<PatternExpression> { first };
        while (Current.IsKeyword(keyword))
        {
            Advance();
            operands.Add(operand());
        }
        return new CompoundObservationExpression(op, operands);
    }

    private PatternExpression ParseQualifiedObservation()
    {
        var inner = ParseObservationPrimary();
        List<PatternQualifier>? qualifiers = null;
        while (Current.Kind == PatternTokenKind.Keyword && Current.Text is "WITHIN" or "REPEATS" or "START")
        {
            (qualifiers ??= []).Add(ParseQualifier());
        }
        return qualifiers is null ? inner : new QualifiedObservationExpression(inner, qualifiers);
    }

    private PatternExpression ParseObservationPrimary()
    {
        if (Current.IsSymbol("["))
        {
            EnterNesting();
            Advance();
            if (Current.IsSymbol("]"))
            {
                throw Error("empty observation expression: expected a comparison before ']'");
            }
            var comparison = ParseComparisonOr();
            ExpectSymbol("]", "AND, OR or ']'");
            _depth--;
            return new ObservationExpression(comparison);
        }
        if (Current.IsSymbol("("))
        {
            EnterNesting();
            Advance();
            var inner = ParseObservationExpressions();
            ExpectSymbol(")", "AND, OR, FOLLOWEDBY, a qualifier or ')'");
            _depth--;
            return inner;
        }
        throw Unexpected("'[' or '(' to start an observation expression");
    }

    private PatternQualifier ParseQualifier()
    {
        var keyword = Advance();
        switch (keyword.Text)
        {
            case "WITHIN":
            {
                var n = Current;
                if (n.Kind is not (PatternTokenKind.Integer or PatternTokenKind.Float)
                    || !decimal.TryParse(n.Text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
                    || seconds <= 0)
                {
                    throw Error($"qualifier WITHIN needs a positive number of SECONDS but found {n.Describe()}");
                }
                Advance();
                if (!Current.IsKeyword("SECONDS"))
                {
                    throw Unexpected($"'SECONDS' after 'WITHIN {n.Text}'");
                }
                Advance();
                return new WithinQualifier(seconds, n.Text);
            }
            case "REPEATS":
            {
                var n = Current;
                var isInteger = n.Kind == PatternTokenKind.Integer;
                if (isInteger && !n.Text.StartsWith('-') && !int.TryParse(n.Text, CultureInfo.InvariantCulture, out _))
                {
                    throw Error($"REPEATS count {n.Text} is too large");
                }
                if (!isInteger || !int.TryParse(n.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var times)
                    || times <= 0)
                {
                    throw Error($"qualifier REPEATS needs a positive whole number of TIMES but found {n.Describe()}");
                }
                Advance();
                if (!Current.IsKeyword("TIMES"))
                {
                    throw Unexpected($"'TIMES' after 'REPEATS {n.Text}'");
                }
                Advance();
                return new RepeatsQualifier(times);
            }
            default:
            {
                var start = ExpectTimestamp("START");
                if (!Current.IsKeyword("STOP"))
                {
                    throw Unexpected($"'STOP' after 'START t'{start.Text}''");
                }
                Advance();
                var stop = ExpectTimestamp("STOP");
                if (PatternTimestamp.Compare(stop.Text, start.Text) <= 0)
                {
                    throw new PatternSyntaxException(new PatternError(stop.Position,
                        $"STOP t'{stop.Text}' must be later than START t'{start.Text}' at {stop.Position}"));
                }
                return new StartStopQualifier(start.Text, stop.Text);
            }
        }
    }

    private PatternToken ExpectTimestamp(string keyword)
    {
        if (Current.Kind != PatternTokenKind.Timestamp)
        {
            throw Unexpected($"a timestamp literal t'…' after {keyword}");
        }
        return Advance();
    }

    // ---- comparison expressions ----------------------------------------------------------------------

    private ComparisonExpression ParseComparisonOr() =>
        ParseComparisonChain(ComparisonLogicalOperator.Or, "OR", ParseComparisonAnd);

    private ComparisonExpression ParseComparisonAnd() =>
        ParseComparisonChain(ComparisonLogicalOperator.And, "AND", ParseComparisonPrimary);

    private ComparisonExpression ParseComparisonChain(ComparisonLogicalOperator op, string keyword, Func<ComparisonExpression> operand)
    {
        var first = operand();
        if (!Current.IsKeyword(keyword))
        {
            return first;
        }
        var operands = new List<ComparisonExpression> { first };
        while (Current.IsKeyword(keyword))
        {
            Advance();
            operands.Add(operand());
        }
        return new LogicalComparisonExpression(op, operands);
    }

    private ComparisonExpression ParseComparisonPrimary()
    {
        if (Current.IsSymbol("("))
        {
            EnterNesting();
            Advance();
            var inner = ParseComparisonOr();
            ExpectSymbol(")", "AND, OR or ')'");
            _depth--;
            return inner;
        }
        if (Current.IsKeyword("NOT"))
        {
            Advance();
            if (!Current.IsKeyword("EXISTS"))
            {
                throw Unexpected("'EXISTS' after a leading 'NOT' (to negate a comparison write 'type:path NOT = …')");
            }
            Advance();
            return new ExistsComparison(ParseObjectPath(), Negated: true);
        }
        if (Current.IsKeyword("EXISTS"))
        {
            Advance();
            return new ExistsComparison(ParseObjectPath(), Negated: false);
        }
        if (Current.Kind != PatternTokenKind.Identifier)
        {
            throw Unexpected("an object path, EXISTS or '('");
        }
        var path = ParseObjectPath();
        var negated = false;
        if (Current.IsKeyword("NOT"))
        {
            negated = true;
            Advance();
        }
        var op = ParseComparisonOperator(path);
        PatternValue value = op switch
        {
            ComparisonOperator.Equal or ComparisonOperator.NotEqual => ParseLiteral(op, allowBoolean: true),
            ComparisonOperator.In => ParseSet(),
            ComparisonOperator.Like or ComparisonOperator.Matches or ComparisonOperator.IsSubset or ComparisonOperator.IsSuperset
                => ParseStringOperand(op),
            _ => ParseLiteral(op, allowBoolean: false),
        };
        return new PropertyComparison(path, negated, op, value);
    }

    private ComparisonOperator ParseComparisonOperator(ObjectPath path)
    {
        var token = Current;
        ComparisonOperator? op = token.Kind switch
        {
            PatternTokenKind.Symbol => token.Text switch
            {
                "=" => (ComparisonOperator?)ComparisonOperator.Equal,
                "!=" => ComparisonOperator.NotEqual,
                "<" => ComparisonOperator.LessThan,
                "<=" => ComparisonOperator.LessThanOrEqual,
                ">" => ComparisonOperator.GreaterThan,
                ">=" => ComparisonOperator.GreaterThanOrEqual,
                _ => null,
            },
            PatternTokenKind.Keyword => token.Text switch
            {
                "IN" => (ComparisonOperator?)ComparisonOperator.In,
                "LIKE" => ComparisonOperator.Like,
                "MATCHES" => ComparisonOperator.Matches,
                "ISSUBSET" => ComparisonOperator.IsSubset,
                "ISSUPERSET" => ComparisonOperator.IsSuperset,
                _ => null,
            },
            _ => null,
        };
        if (op is { } found)
        {
            Advance();
            return found;
        }
        if (token.Kind == PatternTokenKind.Identifier)
        {
            throw Error($"unknown comparison operator '{token.Text}'");
        }
        throw Unexpected($"a comparison operator after '{path}'");
    }

    private PatternLiteral ParseLiteral(ComparisonOperator op, bool allowBoolean)
    {
        var literal = TryLiteral();
        if (literal is null)
        {
            throw Unexpected($"a literal after '{op.Symbol()}'");
        }
        if (literal.Kind == PatternLiteralKind.Boolean && !allowBoolean)
        {
            throw Error($"operator '{op.Symbol()}' cannot compare with boolean {literal.Value}");
        }
        Advance();
        return literal;
    }

    private PatternLiteral ParseStringOperand(ComparisonOperator op)
    {
        if (Current.Kind != PatternTokenKind.String)
        {
            throw Unexpected($"a string literal after {op.Symbol()}");
        }
        return new PatternLiteral(PatternLiteralKind.String, Advance().Text);
    }

    private PatternSet ParseSet()
    {
        if (!Current.IsSymbol("("))
        {
            throw Unexpected("a set like ('a', 'b') after IN");
        }
        Advance();
        var members = new List<PatternLiteral>();
        if (Current.IsSymbol(")"))
        {
            Advance();
            return new PatternSet(members);
        }
        while (true)
        {
            var member = TryLiteral() ?? throw Unexpected("a literal in the set");
            Advance();
            members.Add(member);
            if (Current.IsSymbol(","))
            {
                Advance();
                continue;
            }
            ExpectSymbol(")", "',' or ')' in the set");
            return new PatternSet(members);
        }
    }

    /// <summary>The current token as a literal, without consuming it; null if it is not one.</summary>
    private PatternLiteral? TryLiteral()
    {
        var token = Current;
        PatternLiteralKind? kind = token.Kind switch
        {
            PatternTokenKind.String => PatternLiteralKind.String,
            PatternTokenKind.Integer => PatternLiteralKind.Integer,
            PatternTokenKind.Float => PatternLiteralKind.Float,
            PatternTokenKind.Boolean => PatternLiteralKind.Boolean,
            PatternTokenKind.Timestamp => PatternLiteralKind.Timestamp,
            PatternTokenKind.Hex => PatternLiteralKind.Hex,
            PatternTokenKind.Binary => PatternLiteralKind.Binary,
            _ => null,
        };
        return kind is { } k ? new PatternLiteral(k, token.Text) : null;
    }

    // ---- object paths --------------------------------------------------------------------------------

    private ObjectPath ParseObjectPath()
    {
        if (Current.Kind != PatternTokenKind.Identifier)
        {
            throw Unexpected("an object type such as 'file' or 'ipv4-addr'");
        }
        var objectType = Advance().Text;
        ExpectSymbol(":", $"':' after object type '{objectType}'");
        var steps = new List<PathStep> { ParseKey(first: true) };
        while (true)
        {
            if (Current.IsSymbol("."))
            {
                Advance();
                steps.Add(ParseKey(first: false));
            }
            else if (Current.IsSymbol("["))
            {
                Advance();
                steps.Add(ParseIndex());
            }
            else
            {
                return new ObjectPath(objectType, steps);
            }
        }
    }

    private KeyPathStep ParseKey(bool first)
    {
        var token = Current;
        if (token.Kind == PatternTokenKind.String)
        {
            Advance();
            return new KeyPathStep(token.Text);
        }
        if (token.Kind == PatternTokenKind.Identifier && token.HasHyphen)
        {
            throw Error($"property name '{token.Text}' contains '-': quote it as '{token.Text}'");
        }
        if (token.Kind == PatternTokenKind.Identifier)
        {
            Advance();
            return new KeyPathStep(token.Text);
        }
        throw Unexpected(first ? "a property name after ':'" : "a property name after '.'");
    }

    private IndexPathStep ParseIndex()
    {
        var token = Current;
        if (token.IsSymbol("*"))
        {
            Advance();
            ExpectSymbol("]", "']' after '[*'");
            return new IndexPathStep(null);
        }
        if (token.Kind != PatternTokenKind.Integer)
        {
            throw Unexpected("a list index (an integer or '*') after '['");
        }
        if (!int.TryParse(token.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
        {
            throw Error($"list index {token.Text} is out of range");
        }
        Advance();
        ExpectSymbol("]", "']' after the list index");
        return new IndexPathStep(index);
    }
}
