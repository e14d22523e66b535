namespace ThreatGraph.Stix.Patterning;

/// <summary>Observation operators. Precedence, tightest first: AND, OR, FOLLOWEDBY; all left-associative.</summary>
public enum ObservationOperator
{
    And,
    Or,
    FollowedBy,
}

/// <summary>A whole pattern or a part of one at the observation level.</summary>
public abstract record PatternExpression;

/// <summary><c>[ comparison ]</c>: one observation.</summary>
public sealed record ObservationExpression(ComparisonExpression Comparison) : PatternExpression
{
    public override string ToString() => "[" + Comparison + "]";
}

/// <summary>Two or more observation expressions joined by the same operator; a chain is one node.
/// An operand that is itself a <see cref="CompoundObservationExpression"/> was written in parentheses.</summary>
public sealed record CompoundObservationExpression(ObservationOperator Operator, IReadOnlyList<PatternExpression> Operands)
    : PatternExpression
{
    public override string ToString() =>
        string.Join(Operator switch
        {
            ObservationOperator.And => " AND ",
            ObservationOperator.Or => " OR ",
            _ => " FOLLOWEDBY ",
        }, Operands.Select(o => o is CompoundObservationExpression ? "(" + o + ")" : o.ToString()));
}

/// <summary>An observation expression followed by one or more qualifiers, in the order written.</summary>
public sealed record QualifiedObservationExpression(PatternExpression Inner, IReadOnlyList<PatternQualifier> Qualifiers)
    : PatternExpression
{
    public override string ToString() =>
        (Inner is CompoundObservationExpression ? "(" + Inner + ")" : Inner.ToString()) + " " + string.Join(" ", Qualifiers);
}

public abstract record PatternQualifier;

/// <summary><c>WITHIN n SECONDS</c>; <see cref="Text"/> is the number as written (without a leading <c>+</c>).</summary>
public sealed record WithinQualifier(decimal Seconds, string Text) : PatternQualifier
{
    public override string ToString() => $"WITHIN {Text} SECONDS";
}

/// <summary><c>REPEATS n TIMES</c>.</summary>
public sealed record RepeatsQualifier(int Times) : PatternQualifier
{
    public override string ToString() => $"REPEATS {Times.ToString(System.Globalization.CultureInfo.InvariantCulture)} TIMES";
}

/// <summary><c>START t'…' STOP t'…'</c>; the timestamps are the text inside the quotes.</summary>
public sealed record StartStopQualifier(string Start, string Stop) : PatternQualifier
{
    public override string ToString() => $"START t'{Start}' STOP t'{Stop}'";
}
