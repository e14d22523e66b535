using System.ComponentModel.DataAnnotations;
using ThreatGraph.GraphApi.Transport;

namespace ThreatGraph.GraphApi.Hosting;

/// <summary>Gateway limits (configuration section "Api").</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Largest bundle accepted by POST /api/bundles and ingestBundle, in bytes; larger → 413.</summary>
    [Range(1024, 1L << 31)]
    public long MaxBundleBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Deepest GraphQL query accepted.</summary>
    [Range(2, 64)]
    public int MaxQueryDepth { get; set; } = 12;

    /// <summary>Highest GraphQL complexity score accepted (GraphQL.NET v8 analyzer; lists multiply by first/limit).</summary>
    [Range(10, 10_000_000)]
    public int MaxQueryComplexity { get; set; } = 50_000;

    /// <summary>Show exception details in GraphQL errors (development only).</summary>
    public bool ExposeExceptionDetails { get; set; }

    // Denial-of-service bounds of the GraphQL transports (HTTP and WebSocket); see GraphQLTransportOptions and
    // GraphQLDocumentLimiter. The document limits are checked before GraphQL.NET validates a document.

    /// <summary>Most lexical tokens in a GraphQL document (a string literal is one token), counted before it is parsed.</summary>
    [Range(100, 10_000_000)]
    public int MaxQueryTokens { get; set; } = GraphQLTransportOptions.DefaultMaxQueryTokens;

    /// <summary>How deeply fields, inline fragments and fragment spreads may nest once fragments are expanded.</summary>
    [Range(2, 200)]
    public int MaxSelectionDepth { get; set; } = GraphQLTransportOptions.DefaultMaxSelectionDepth;

    /// <summary>Most fragment spreads written in one GraphQL document.</summary>
    [Range(0, 100_000)]
    public int MaxFragmentSpreads { get; set; } = GraphQLTransportOptions.DefaultMaxFragmentSpreads;

    /// <summary>Most fields a GraphQL document selects once its fragments are expanded.</summary>
    [Range(10, 1_000_000)]
    public int MaxExpandedFields { get; set; } = GraphQLTransportOptions.DefaultMaxExpandedFields;

    /// <summary>Most selections that merge into one response field (repeats, fragments, repeated parents).</summary>
    [Range(2, 100_000)]
    public int MaxFieldRepeats { get; set; } = GraphQLTransportOptions.DefaultMaxFieldRepeats;

    /// <summary>Time budget of one GraphQL execution, in seconds (a subscription: until its stream is ready).</summary>
    [Range(1, 3600)]
    public int MaxExecutionSeconds { get; set; } = GraphQLTransportOptions.DefaultMaxExecutionSeconds;

    /// <summary>Most active operations (subscriptions, running queries) on one graphql-transport-ws connection.</summary>
    [Range(1, 10_000)]
    public int MaxOperationsPerConnection { get; set; } = GraphQLTransportOptions.DefaultMaxOperationsPerConnection;
}
