namespace ThreatGraph.Contracts.Index;

/// <summary>A search of the index: entries the caller may see, of the given types (all when null or empty), matching
/// <see cref="Text"/> (see <see cref="IIndexPartitionGrain.SearchAsync"/>), after <see cref="AfterId"/> in
/// <see cref="IndexOrder"/>, at most <see cref="Take"/>.</summary>
[GenerateSerializer, Immutable, Alias("tg.IndexQuery")]
public sealed record IndexQuery(
    [property: Id(0)] IReadOnlyList<string>? Types,
    [property: Id(1)] string? Text,
    [property: Id(2)] bool IncludeRevoked,
    [property: Id(3)] string? AfterId,
    [property: Id(4)] int Take);

/// <summary>One partition's answer: its first matches after the cursor (in <see cref="IndexOrder"/>), how many match
/// in all, and how many of those are at or before the cursor.</summary>
[GenerateSerializer, Immutable, Alias("tg.IndexSlice")]
public sealed record IndexSlice(
    [property: Id(0)] IReadOnlyList<string> Ids,
    [property: Id(1)] int TotalCount,
    [property: Id(2)] int Before);

/// <summary>The merged answer over every partition: a page of ids in <see cref="IndexOrder"/>, the total number of
/// matches, how many are at or before the cursor, and whether more follow the page.</summary>
[GenerateSerializer, Immutable, Alias("tg.IndexPage.v2")]
public sealed record IndexPage(
    [property: Id(0)] IReadOnlyList<string> Ids,
    [property: Id(1)] int TotalCount,
    [property: Id(2)] int Before,
    [property: Id(3)] bool HasNextPage);

/// <summary>How many entries of one type the caller may see.</summary>
[GenerateSerializer, Immutable, Alias("tg.IndexTypeCount")]
public sealed record IndexTypeCount([property: Id(0)] string Type, [property: Id(1)] int Count);
