namespace ThreatGraph.Bench.Generator.Tests;

/// <summary>One tiny graph per test class run (generation takes a moment).</summary>
public sealed class GeneratedGraphFixture
{
    public const int Seed = 42;
    public GeneratedGraph Graph { get; } = ThreatGraphGenerator.Generate(Seed, GraphSize.Tiny);
}
