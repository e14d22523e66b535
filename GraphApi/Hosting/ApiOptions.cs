using System.ComponentModel.DataAnnotations;

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
}
