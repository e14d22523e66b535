using ThreatGraph.Stix;

namespace ThreatGraph.Grains.Ingest;

/// <summary>
/// The order in which a bundle's objects are applied: what is referred to before what refers to it, so that most
/// refs land on real nodes rather than placeholders (placeholders still make any order correct).
/// </summary>
public static class DependencyOrder
{
    public const int Levels = 6;

    public static int RankOf(string type) => type switch
    {
        "marking-definition" or "extension-definition" => 0,
        "identity" => 1,
        "relationship" or "sighting" => 4,
        "report" or "grouping" or "note" or "opinion" or "observed-data" or "language-content" => 5,
        _ when StixTypes.IsObservable(type) => 2,
        _ => 3,
    };
}
