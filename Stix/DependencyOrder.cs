namespace ThreatGraph.Stix;

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

    /// <summary>The rank of an object by its id's type prefix (no parsing), for planning before the JSON is read.</summary>
    public static int RankOfId(string? id) => RankOf(StixTypes.TypeOfId(id ?? "") ?? "");

    /// <summary>
    /// Splits a request into calls of at most <paramref name="maxObjects"/> objects and about <paramref name="maxBytes"/>
    /// of JSON, taken in dependency order (ranks first, then the request's order), so that what is referred to goes in
    /// an earlier or the same call, and versions of one id stay in their order. Returns positions into the input.
    /// Keeps every grain call short, whatever the size of the bundle (README "Short turns").
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<int>> Chunks(IReadOnlyList<(string? Id, int Bytes)> items, int maxObjects, long maxBytes)
    {
        var order = Enumerable.Range(0, items.Count).OrderBy(i => RankOfId(items[i].Id)).ThenBy(i => i).ToList();
        var chunks = new List<IReadOnlyList<int>>();
        var current = new List<int>();
        long bytes = 0;
        foreach (var i in order)
        {
            if (current.Count > 0 && (current.Count >= maxObjects || bytes + items[i].Bytes > maxBytes))
            {
                chunks.Add(current);
                (current, bytes) = ([], 0);
            }
            current.Add(i);
            bytes += items[i].Bytes;
        }
        if (current.Count > 0)
        {
            chunks.Add(current);
        }
        return chunks;
    }
}
