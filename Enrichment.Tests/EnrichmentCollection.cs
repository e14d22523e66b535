namespace ThreatGraph.Enrichment.Tests;

/// <summary>One service for the enrichment tests that need no data set of their own. The built-in jobs keep one
/// checkpoint per cluster, so these tests run one after the other and each uses ATT&amp;CK ids and names of its own.</summary>
[CollectionDefinition(Name)]
public sealed class EnrichmentCollection : ICollectionFixture<EnrichmentHost>
{
    public const string Name = "enrichment";
}
