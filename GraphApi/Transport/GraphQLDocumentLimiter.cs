using GraphQL;
using GraphQL.Execution;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;

namespace ThreatGraph.GraphApi.Transport;

/// <summary>
/// Bounds what a GraphQL document may cost before GraphQL.NET sees it. Its validation and complexity analysis walk
/// every fragment spread as if expanded (a 1 KB document of 26 fragments each spreading the next twice is 2^26 fields)
/// and compare overlapping fields pairwise (quadratic), and its recursive visitors follow fragment chains as deep as
/// they go (a long chain overflows the stack and ends the process). None of that can be cancelled, so the bounds come
/// first, in time linear in the document:
/// <list type="number">
/// <item>tokens, counted by the lexer before anything is parsed (<see cref="GraphQLTransportOptions.MaxQueryTokens"/>);</item>
/// <item>one pass over the parsed document that computes each fragment once (memoised): the nesting depth with
/// fragments expanded, the fragment spreads written, and the fields the document expands to; a fragment cycle or two
/// fragments of one name are refused here too, since expansion is not defined for them;</item>
/// <item>a second pass, only when the first passed: how many selections merge into each response field.</item>
/// </list>
/// Every operation and every fragment of the document is checked, used or not, since validation visits them all.
/// </summary>
public static class GraphQLDocumentLimiter
{
    /// <summary>Code of the errors this class reports (<c>extensions.code</c>).</summary>
    public const string ErrorCode = "DOCUMENT_LIMIT";

    /// <summary>
    /// Applies the limits to <paramref name="query"/> and parses it with <paramref name="builder"/>. Returns the error to
    /// answer with (a broken limit, or the syntax error), or the parsed document.
    /// </summary>
    public static (GraphQLDocument? Document, ExecutionError? Error) Parse(string query, IDocumentBuilder builder, GraphQLTransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        if (CountTokens(query, options.MaxQueryTokens) > options.MaxQueryTokens)
        {
            return (null, Error($"The document has more than {options.MaxQueryTokens} tokens", options, nameof(options.MaxQueryTokens)));
        }

        GraphQLDocument document;
        try
        {
            document = builder.Build(query);
        }
        catch (SyntaxError ex)
        {
            return (null, ex); // what the executer would answer
        }
        catch (GraphQLParserException)
        {
            return (null, null); // a builder that does not wrap: the executer reports it
        }

        return (document, Check(document, options));
    }

    /// <summary>The first limit <paramref name="document"/> breaks, or null.</summary>
    public static ExecutionError? Check(GraphQLDocument document, GraphQLTransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(options);
        var fragments = new Dictionary<string, GraphQLFragmentDefinition>(StringComparer.Ordinal);
        foreach (var fragment in document.Definitions.OfType<GraphQLFragmentDefinition>())
        {
            if (!fragments.TryAdd(fragment.FragmentName.Name.StringValue, fragment))
            {
                return new ExecutionError($"There are several fragments named '{fragment.FragmentName.Name.StringValue}'.")
                {
                    Code = "UNIQUE_FRAGMENT_NAMES",
                };
            }
        }

        try
        {
            var shape = new ShapePass(fragments, options);
            foreach (var definition in document.Definitions.OfType<GraphQLExecutableDefinition>())
            {
                shape.Definition(definition);
            }

            var repeats = new RepeatPass(fragments, options);
            foreach (var definition in document.Definitions.OfType<GraphQLExecutableDefinition>())
            {
                repeats.Definition(definition);
            }

            return null;
        }
        catch (LimitExceededException ex)
        {
            return ex.Error;
        }
    }

    /// <summary>Tokens of <paramref name="query"/>, counting stops just past <paramref name="limit"/>. A character
    /// the lexer rejects ends the count: the parser reports it.</summary>
    internal static int CountTokens(string query, int limit)
    {
        ROM source = query;
        var count = 0;
        var position = 0;
        try
        {
            while (count <= limit)
            {
                var token = Lexer.Lex(source, position);
                if (token.Kind == TokenKind.EOF)
                {
                    break;
                }

                count++;
                position = token.End;
            }
        }
        catch (GraphQLParserException)
        {
            // a syntax error: the parser will say where
        }

        return count;
    }

    private static ExecutionError Error(string what, GraphQLTransportOptions options, string setting)
        => new($"{what}; the limit is set by {options.LimitSettingPrefix}{setting}. Split it into smaller requests.")
        {
            Code = ErrorCode,
        };

    private sealed class LimitExceededException(ExecutionError error) : Exception(error.Message)
    {
        public ExecutionError Error { get; } = error;
    }

    /// <summary>
    /// Depth, spreads and expanded fields. Recursion is bounded by <see cref="GraphQLTransportOptions.MaxSelectionDepth"/>:
    /// every call goes one selection deeper, and the pass stops when the depth passes the limit. A fragment is walked once,
    /// at the depth of its first spread, and its depth below that and its field count are kept for every later spread.
    /// </summary>
    private sealed class ShapePass(Dictionary<string, GraphQLFragmentDefinition> fragments, GraphQLTransportOptions options)
    {
        private readonly Dictionary<GraphQLFragmentDefinition, (int Depth, long Fields)> _done = [];
        private readonly HashSet<GraphQLFragmentDefinition> _walking = [];
        private int _spreads;

        public void Definition(GraphQLExecutableDefinition definition)
        {
            if (definition is GraphQLFragmentDefinition fragment)
            {
                Fragment(fragment, 0);
                return;
            }

            var (_, fields) = SelectionSet(definition.SelectionSet, 0);
            CheckFields(fields);
        }

        /// <summary>Depth of the deepest selection below <paramref name="depth"/>, and the fields, with fragments expanded.</summary>
        private (int Depth, long Fields) SelectionSet(GraphQLSelectionSet? set, int depth)
        {
            if (set is null)
            {
                return (0, 0);
            }

            var deepest = 0;
            long fields = 0;
            var level = depth + 1;
            if (level > options.MaxSelectionDepth)
            {
                throw TooDeep();
            }

            foreach (var selection in set.Selections)
            {
                (int Depth, long Fields) below = selection switch
                {
                    GraphQLField field => Add(SelectionSet(field.SelectionSet, level), 1),
                    GraphQLInlineFragment inline => SelectionSet(inline.SelectionSet, level),
                    GraphQLFragmentSpread spread => Spread(spread, level),
                    _ => (0, 0),
                };
                deepest = Math.Max(deepest, below.Depth + 1);
                fields = CheckFields(fields + below.Fields);
            }

            return (deepest, fields);
        }

        private (int Depth, long Fields) Spread(GraphQLFragmentSpread spread, int level)
        {
            if (++_spreads > options.MaxFragmentSpreads)
            {
                throw new LimitExceededException(Error($"The document has more than {options.MaxFragmentSpreads} fragment spreads",
                    options, nameof(options.MaxFragmentSpreads)));
            }

            // An unknown fragment adds nothing here; validation reports it.
            return fragments.TryGetValue(spread.FragmentName.Name.StringValue, out var fragment) ? Fragment(fragment, level) : (0, 0);
        }

        /// <summary>The fragment's shape, walked on first use; <paramref name="level"/> is where it is spread.</summary>
        private (int Depth, long Fields) Fragment(GraphQLFragmentDefinition fragment, int level)
        {
            if (_done.TryGetValue(fragment, out var shape))
            {
                if (level + shape.Depth > options.MaxSelectionDepth)
                {
                    throw TooDeep();
                }

                return shape;
            }

            if (!_walking.Add(fragment))
            {
                throw new LimitExceededException(new ExecutionError(
                    $"Fragment '{fragment.FragmentName.Name.StringValue}' spreads itself (directly or through other fragments).")
                {
                    Code = "NO_FRAGMENT_CYCLES",
                });
            }

            shape = SelectionSet(fragment.SelectionSet, level);
            _walking.Remove(fragment);
            _done[fragment] = shape;
            return shape;
        }

        private long CheckFields(long fields)
        {
            if (fields > options.MaxExpandedFields)
            {
                throw new LimitExceededException(Error($"The document selects more than {options.MaxExpandedFields} fields once its fragments are expanded",
                    options, nameof(options.MaxExpandedFields)));
            }

            return fields;
        }

        private LimitExceededException TooDeep() => new(Error(
            $"Selections nest more than {options.MaxSelectionDepth} levels deep (fields, inline fragments and fragment spreads, with fragments expanded)",
            options, nameof(options.MaxSelectionDepth)));

        private static (int Depth, long Fields) Add((int Depth, long Fields) shape, long fields) => (shape.Depth, shape.Fields + fields);
    }

    /// <summary>
    /// For each selection set, how many selections merge into each response name: a leaf selection counts 1, a field with
    /// a selection set counts the largest merge found below it (so <c>a { b }</c> twice makes <c>a.b</c> merge twice), and
    /// a fragment spread or inline fragment adds its own counts. A fragment's counts are computed once. This runs after
    /// <see cref="ShapePass"/>: no cycles, bounded depth, and every count bounded by the expanded fields. Each count keeps
    /// the response path of its largest part, for the message.
    /// </summary>
    private sealed class RepeatPass(Dictionary<string, GraphQLFragmentDefinition> fragments, GraphQLTransportOptions options)
    {
        private readonly Dictionary<GraphQLFragmentDefinition, Dictionary<string, Merge>> _done = [];

        public void Definition(GraphQLExecutableDefinition definition)
        {
            if (definition is GraphQLFragmentDefinition fragment)
            {
                Fragment(fragment);
            }
            else
            {
                Largest(definition.SelectionSet);
            }
        }

        private Merge Largest(GraphQLSelectionSet set)
        {
            var merged = new Dictionary<string, Merge>(StringComparer.Ordinal);
            Flatten(set, merged);
            return merged.Count == 0 ? new Merge(1, "") : merged.Values.MaxBy(m => m.Count);
        }

        private void Flatten(GraphQLSelectionSet set, Dictionary<string, Merge> merged)
        {
            foreach (var selection in set.Selections)
            {
                switch (selection)
                {
                    case GraphQLField field:
                        var name = (field.Alias?.Name ?? field.Name).StringValue;
                        var below = field.SelectionSet is null ? new Merge(1, "") : Largest(field.SelectionSet);
                        Add(merged, name, new Merge(below.Count, below.Count > 1 ? name + "." + below.Path : name));
                        break;
                    case GraphQLInlineFragment inline:
                        Flatten(inline.SelectionSet, merged);
                        break;
                    case GraphQLFragmentSpread spread when fragments.TryGetValue(spread.FragmentName.Name.StringValue, out var fragment):
                        foreach (var (responseName, merge) in Fragment(fragment))
                        {
                            Add(merged, responseName, merge);
                        }

                        break;
                }
            }
        }

        private Dictionary<string, Merge> Fragment(GraphQLFragmentDefinition fragment)
        {
            if (!_done.TryGetValue(fragment, out var merged))
            {
                merged = new Dictionary<string, Merge>(StringComparer.Ordinal);
                Flatten(fragment.SelectionSet, merged);
                _done[fragment] = merged;
            }

            return merged;
        }

        private void Add(Dictionary<string, Merge> merged, string name, Merge part)
        {
            var total = part;
            if (merged.TryGetValue(name, out var earlier))
            {
                total = new Merge(earlier.Count + part.Count, earlier.Largest >= part.Largest ? earlier.Path : part.Path,
                    Math.Max(earlier.Largest, part.Largest));
            }

            if (total.Count > options.MaxFieldRepeats)
            {
                throw new LimitExceededException(Error($"The response field '{total.Path}' is selected more than {options.MaxFieldRepeats} times (repeated directly, through fragments or under repeated parent fields)",
                    options, nameof(options.MaxFieldRepeats)));
            }

            merged[name] = total;
        }
    }

    /// <summary>Selections merging into one response field; <see cref="Path"/> is where its largest part comes from.</summary>
    private readonly record struct Merge(long Count, string Path, long Largest)
    {
        public Merge(long count, string path) : this(count, path, count)
        {
        }
    }
}
