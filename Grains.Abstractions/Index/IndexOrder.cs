namespace ThreatGraph.Contracts.Index;

/// <summary>
/// The one total order of the search index, which every partition applies and the merge keeps: by STIX type, then by
/// id (both ordinal). It depends on nothing but the id, so pages are stable across partitions, restarts and concurrent
/// ingest (a new object lands at its place; nothing before a cursor moves), and a cursor is simply the last id shown.
/// </summary>
public sealed class IndexOrder : IComparer<string>
{
    public static readonly IndexOrder Instance = new();

    IndexOrder()
    {
    }

    /// <summary>The type part of an id (before the first <c>--</c>; the whole id when there is none).</summary>
    public static ReadOnlySpan<char> TypeOf(string id)
    {
        var i = id.AsSpan().IndexOf("--", StringComparison.Ordinal);
        return i < 0 ? id : id.AsSpan(0, i);
    }

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }
        var byType = TypeOf(x).CompareTo(TypeOf(y), StringComparison.Ordinal);
        return byType != 0 ? byType : string.CompareOrdinal(x, y);
    }
}
