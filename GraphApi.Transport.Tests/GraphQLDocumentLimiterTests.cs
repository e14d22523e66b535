using GraphQL.Execution;

namespace ThreatGraph.GraphApi.Transport.Tests;

/// <summary>The document limits on their own: what is refused, with which message, and what passes.</summary>
public sealed class GraphQLDocumentLimiterTests
{
    private static readonly GraphQLDocumentBuilder Builder = new();

    /// <summary><c>query { ...F0 }</c>, F0..F(levels-1) each spreading the next twice, the last selecting one field.</summary>
    internal static string FragmentBomb(int levels)
        => "query { ...F0 }\n"
           + string.Concat(Enumerable.Range(0, levels).Select(i => $"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}\n"))
           + $"fragment F{levels} on Query {{ hello }}\n";

    /// <summary><c>query { ...F0 }</c>, each fragment spreading the next once.</summary>
    internal static string FragmentChain(int length)
        => "query { ...F0 }\n"
           + string.Concat(Enumerable.Range(0, length).Select(i => $"fragment F{i} on Query {{ ...F{i + 1} }}\n"))
           + $"fragment F{length} on Query {{ hello }}\n";

    internal static string Repeated(string selection, int times) => "{ " + string.Concat(Enumerable.Repeat(selection + " ", times)) + "}";

    private static string? Refusal(string query, Action<GraphQLTransportOptions>? configure = null)
    {
        var options = new GraphQLTransportOptions();
        configure?.Invoke(options);
        var (document, error) = GraphQLDocumentLimiter.Parse(query, Builder, options);
        if (error is null)
        {
            Assert.NotNull(document);
        }

        return error?.Message;
    }

    [Fact]
    public void A_fragment_bomb_of_2_to_the_30_fields_is_refused_without_being_expanded()
    {
        var message = Refusal(FragmentBomb(30));

        Assert.Equal("The document selects more than 10000 fields once its fragments are expanded; the limit is set by "
            + "GraphQL:Transport:MaxExpandedFields. Split it into smaller requests.", message);
    }

    [Fact]
    public void Fields_are_counted_with_fragments_expanded()
    {
        Assert.Null(Refusal(FragmentBomb(3), o => o.MaxExpandedFields = 8)); // 2^3 fields: at the limit
        Assert.Contains("more than 7 fields", Refusal(FragmentBomb(3), o => { o.MaxExpandedFields = 7; o.MaxFieldRepeats = 100; }));
    }

    [Fact]
    public void Eight_thousand_duplicate_fields_are_refused_naming_the_repeat_limit()
    {
        var message = Refusal(Repeated("hello", 8000));

        Assert.Equal("The response field 'hello' is selected more than 30 times (repeated directly, through fragments or under repeated "
            + "parent fields); the limit is set by GraphQL:Transport:MaxFieldRepeats. Split it into smaller requests.", message);
    }

    [Fact]
    public void Repeats_multiply_under_repeated_parent_fields()
    {
        // node is selected 6 times, each with child 6 times: 36 selections merge into node.child
        var query = Repeated("node { " + string.Concat(Enumerable.Repeat("child { name } ", 6)) + "}", 6);

        Assert.Contains("'node.child' is selected more than 30 times", Refusal(query));
        Assert.Null(Refusal(query, o => o.MaxFieldRepeats = 36));
    }

    [Fact]
    public void Repeats_through_fragments_count_and_aliases_are_separate_response_fields()
    {
        Assert.Contains("'hello' is selected more than 30 times",
            Refusal("{ ...A ...A ...A }\nfragment A on Query { " + string.Concat(Enumerable.Repeat("hello ", 11)) + "}"));
        Assert.Null(Refusal("{ " + string.Concat(Enumerable.Range(0, 40).Select(i => $"a{i}: hello ")) + "}"));
    }

    [Fact]
    public void A_long_fragment_chain_is_refused_by_depth_before_validation_can_overflow_the_stack()
    {
        var message = Refusal(FragmentChain(200));

        Assert.Equal("Selections nest more than 32 levels deep (fields, inline fragments and fragment spreads, with fragments "
            + "expanded); the limit is set by GraphQL:Transport:MaxSelectionDepth. Split it into smaller requests.", message);
        Assert.Null(Refusal(FragmentChain(30)));
    }

    [Fact]
    public void A_fragment_spread_deeper_than_its_first_use_is_held_to_the_depth_limit_there()
    {
        // D is walked at its first spread (level 2, fits) and remembered; its second spread is under `levels` nodes
        static string Query(int levels) => "{ node { ...D } " + string.Concat(Enumerable.Repeat("node { ", levels)) + "...D"
            + new string('}', levels) + " }\nfragment D on Node { node { node { name } } }";

        Assert.Null(Refusal(Query(28)));  // deepest: 28 + spread + 3 = 32
        Assert.Contains("MaxSelectionDepth", Refusal(Query(29)));
    }

    [Fact]
    public void A_huge_document_is_refused_by_its_token_count_before_it_is_parsed()
    {
        var message = Refusal(FragmentChain(20_000));

        Assert.Equal("The document has more than 10000 tokens; the limit is set by GraphQL:Transport:MaxQueryTokens. "
            + "Split it into smaller requests.", message);
    }

    [Fact]
    public void A_long_string_literal_is_one_token()
    {
        Assert.Null(Refusal("{ hello(name: \"" + new string('x', 2_000_000) + "\") }"));
    }

    [Fact]
    public void Fragment_spreads_are_counted_as_written()
    {
        var query = "{ " + string.Concat(Enumerable.Range(0, 101).Select(i => $"a{i}: node {{ ...N }} ")) + "}\nfragment N on Node { name }";

        Assert.Contains("more than 100 fragment spreads", Refusal(query));
        Assert.Contains("GraphQL:Transport:MaxFragmentSpreads", Refusal(query));
    }

    [Fact]
    public void Unused_fragments_and_other_operations_are_checked_too()
    {
        Assert.Contains("MaxExpandedFields", Refusal(FragmentBomb(30).Replace("query { ...F0 }", "query { hello }\nquery Other { hello }")
            .Replace("fragment F0 on Query { ...F1 ...F1 }", "fragment F0 on Query { hello }")));
        Assert.Contains("MaxExpandedFields", Refusal("query A { hello }\nquery B { ...F0 }\n" + FragmentBomb(30)[("query { ...F0 }\n".Length)..]));
    }

    [Fact]
    public void A_fragment_cycle_is_refused_since_it_has_no_expansion()
    {
        var message = Refusal("{ ...A }\nfragment A on Query { ...B }\nfragment B on Query { hello ...A }");

        Assert.Equal("Fragment 'A' spreads itself (directly or through other fragments).", message);
    }

    [Fact]
    public void Two_fragments_of_one_name_are_refused_since_a_spread_would_be_ambiguous()
    {
        Assert.Equal("There are several fragments named 'A'.",
            Refusal("{ ...A }\nfragment A on Query { hello }\nfragment A on Query { ...B ...B }\nfragment B on Query { hello }"));
    }

    [Fact]
    public void The_setting_names_in_messages_follow_the_configured_prefix()
    {
        Assert.Contains("Api:MaxExpandedFields", Refusal(FragmentBomb(30), o => o.LimitSettingPrefix = "Api:"));
    }

    [Fact]
    public void Ordinary_documents_pass_and_syntax_errors_are_reported_as_such()
    {
        Assert.Null(Refusal("{ hello }"));
        Assert.Null(Refusal(ThreatGraph.TestSupport.Introspection.Query));
        Assert.Null(Refusal("{ ...Unknown }")); // left to validation, which names it
        var (document, error) = GraphQLDocumentLimiter.Parse("{ hello(", Builder, new GraphQLTransportOptions());
        Assert.Null(document);
        Assert.IsType<SyntaxError>(error); // as the executer would answer it
    }

}
