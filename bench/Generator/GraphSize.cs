namespace ThreatGraph.Bench.Generator;

/// <summary>How big a graph to make. Edges come out at about five per node.</summary>
public sealed record GraphSize(string Name, int Nodes)
{
    public static readonly GraphSize Small = new("small", 100_000);
    public static readonly GraphSize Large = new("large", 1_000_000);

    /// <summary>A tiny graph for tests (same mix, same shape).</summary>
    public static readonly GraphSize Tiny = new("tiny", 5_000);

    public static GraphSize Parse(string name) => name switch
    {
        "small" => Small,
        "large" => Large,
        "tiny" => Tiny,
        _ when int.TryParse(name, out var n) && n >= 2_000 => new(name, n),
        _ => throw new ArgumentException($"unknown size '{name}': small, large, tiny or a node count ≥ 2000"),
    };
}
