namespace ThreatGraph.Stix.Patterning;

/// <summary>An observable a pattern names in a comparison: <c>[ipv4-addr:value = '203.0.113.5']</c> →
/// (ipv4-addr, value, =, 203.0.113.5). <see cref="PropertyPath"/> is <see cref="ObjectPath.PropertyPath"/>;
/// <see cref="Operator"/> is the canonical symbol, prefixed <c>NOT </c> when negated (<c>NOT =</c>, <c>NOT EXISTS</c>);
/// <see cref="Value"/> is <see cref="PatternLiteral.Value"/> (one observable per member of an <c>IN</c> set, "" for EXISTS).</summary>
public sealed record PatternObservable(string ObjectType, string PropertyPath, string Operator, string Value);

/// <summary>Where and why a pattern failed to parse. Position is the 0-based character offset.</summary>
public sealed record PatternError(int Position, string Message);

public sealed record PatternParseResult(bool Success, PatternError? Error, IReadOnlyList<PatternObservable> Observables)
{
    /// <summary>The syntax tree; null when parsing failed. Its <c>ToString()</c> is the pattern in canonical form.</summary>
    public PatternExpression? Expression { get; init; }

    /// <summary>The subset of <see cref="Observables"/> a correlation engine can match against an SCO directly:
    /// <c>=</c> (not negated) on a plain property of the object (<see cref="ObjectPath.IsPlainProperty"/>: no list index,
    /// no hop through a <c>*_ref</c>), e.g. <c>ipv4-addr:value = '203.0.113.5'</c> or <c>file:hashes.'SHA-256' = '…'</c>.</summary>
    public IReadOnlyList<PatternObservable> EqualityObservables { get; init; } = [];
}

/// <summary>Parses STIX 2.1 patterns (section 9; grammar STIXPattern.g4). Never throws: invalid input gives a
/// result with <see cref="PatternParseResult.Success"/> false and the position of the first error.</summary>
public static class StixPattern
{
    public static PatternParseResult Parse(string pattern)
    {
        if (pattern is null)
        {
            return new PatternParseResult(false, new PatternError(0, "pattern is null"), []);
        }
        PatternExpression expression;
        try
        {
            expression = PatternParser.Parse(pattern);
        }
        catch (PatternSyntaxException e)
        {
            return new PatternParseResult(false, e.PatternError, []);
        }
        var observables = new List<PatternObservable>();
        var equality = new List<PatternObservable>();
        Collect(expression, observables, equality);
        return new PatternParseResult(true, null, observables) { Expression = expression, EqualityObservables = equality };
    }

    private static void Collect(PatternExpression expression, List<PatternObservable> all, List<PatternObservable> equality)
    {
        switch (expression)
        {
            case ObservationExpression o:
                Collect(o.Comparison, all, equality);
                break;
            case CompoundObservationExpression c:
                foreach (var operand in c.Operands)
                {
                    Collect(operand, all, equality);
                }
                break;
            case QualifiedObservationExpression q:
                Collect(q.Inner, all, equality);
                break;
        }
    }

    private static void Collect(ComparisonExpression expression, List<PatternObservable> all, List<PatternObservable> equality)
    {
        switch (expression)
        {
            case LogicalComparisonExpression l:
                foreach (var operand in l.Operands)
                {
                    Collect(operand, all, equality);
                }
                break;
            case ExistsComparison e:
                all.Add(new PatternObservable(e.Path.ObjectType, e.Path.PropertyPath, e.Negated ? "NOT EXISTS" : "EXISTS", ""));
                break;
            case PropertyComparison p:
                var op = (p.Negated ? "NOT " : "") + p.Operator.Symbol();
                var propertyPath = p.Path.PropertyPath;
                IReadOnlyList<PatternLiteral> literals = p.Value switch
                {
                    PatternSet s => s.Members,
                    PatternLiteral single => [single],
                    _ => [],
                };
                foreach (var literal in literals)
                {
                    var observable = new PatternObservable(p.Path.ObjectType, propertyPath, op, literal.Value);
                    all.Add(observable);
                    if (p.Operator == ComparisonOperator.Equal && !p.Negated && p.Path.IsPlainProperty)
                    {
                        equality.Add(observable);
                    }
                }
                break;
        }
    }
}
