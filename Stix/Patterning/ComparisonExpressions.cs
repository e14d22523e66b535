namespace ThreatGraph.Stix.Patterning;

/// <summary>Comparison operators; <see cref="PatternComparisonOperators.Symbol"/> gives each one's pattern spelling.</summary>
public enum ComparisonOperator
{
    Equal,
    NotEqual,
    LessThan,
    LessThanOrEqual,
    GreaterThan,
    GreaterThanOrEqual,
    In,
    Like,
    Matches,
    IsSubset,
    IsSuperset,
    Exists,
}

public static class PatternComparisonOperators
{
    /// <summary>The canonical spelling: <c>=</c> (also written <c>==</c>), <c>!=</c> (also <c>&lt;&gt;</c>), <c>IN</c>, <c>LIKE</c>, …</summary>
    public static string Symbol(this ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "=",
        ComparisonOperator.NotEqual => "!=",
        ComparisonOperator.LessThan => "<",
        ComparisonOperator.LessThanOrEqual => "<=",
        ComparisonOperator.GreaterThan => ">",
        ComparisonOperator.GreaterThanOrEqual => ">=",
        ComparisonOperator.In => "IN",
        ComparisonOperator.Like => "LIKE",
        ComparisonOperator.Matches => "MATCHES",
        ComparisonOperator.IsSubset => "ISSUBSET",
        ComparisonOperator.IsSuperset => "ISSUPERSET",
        ComparisonOperator.Exists => "EXISTS",
        _ => op.ToString(),
    };
}

/// <summary>Boolean operators joining comparisons inside one observation expression; AND binds tighter than OR.</summary>
public enum ComparisonLogicalOperator
{
    And,
    Or,
}

/// <summary>What goes between <c>[</c> and <c>]</c>.</summary>
public abstract record ComparisonExpression;

/// <summary>Two or more comparisons joined by the same operator; a chain <c>a AND b AND c</c> is one node.
/// An operand that is itself a <see cref="LogicalComparisonExpression"/> was written in parentheses.</summary>
public sealed record LogicalComparisonExpression(ComparisonLogicalOperator Operator, IReadOnlyList<ComparisonExpression> Operands)
    : ComparisonExpression
{
    public override string ToString() =>
        string.Join(Operator == ComparisonLogicalOperator.And ? " AND " : " OR ",
            Operands.Select(o => o is LogicalComparisonExpression ? "(" + o + ")" : o.ToString()));
}

/// <summary><c>path [NOT] op value</c>, e.g. <c>file:size NOT &gt; 10</c> or <c>ipv4-addr:value IN ('a', 'b')</c>.</summary>
public sealed record PropertyComparison(ObjectPath Path, bool Negated, ComparisonOperator Operator, PatternValue Value)
    : ComparisonExpression
{
    public override string ToString() => $"{Path} {(Negated ? "NOT " : "")}{Operator.Symbol()} {Value}";
}

/// <summary><c>[NOT] EXISTS path</c>.</summary>
public sealed record ExistsComparison(ObjectPath Path, bool Negated) : ComparisonExpression
{
    public override string ToString() => $"{(Negated ? "NOT " : "")}EXISTS {Path}";
}
