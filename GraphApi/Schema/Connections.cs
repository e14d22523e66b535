using GraphQL.Types.Relay.DataObjects;

namespace ThreatGraph.GraphApi.Schema;

/// <summary>Relay connections (<c>edges { node cursor }</c>, <c>pageInfo</c>, <c>totalCount</c>): the one place they are built.</summary>
public static class Connections
{
    /// <summary>A page of <paramref name="items"/> starting at position <paramref name="skip"/> of
    /// <paramref name="totalCount"/>; each cursor is the item's position (<see cref="Cursor"/>).</summary>
    public static Connection<T> FromOffset<T>(IReadOnlyList<T> items, int skip, int totalCount) => Of(
        [.. items.Select((n, i) => new Edge<T> { Node = n, Cursor = Cursor.From(skip + i) })], totalCount,
        hasNextPage: skip + items.Count < totalCount, hasPreviousPage: skip > 0,
        items.Count > 0 ? Cursor.From(skip) : null, items.Count > 0 ? Cursor.From(skip + items.Count - 1) : null);

    /// <summary>A page whose cursors the caller made; start and end cursors are given apart from the edges because a
    /// page may leave out items (still valid cursors) that it does not show.</summary>
    public static Connection<T> Of<T>(List<Edge<T>> edges, int totalCount, bool hasNextPage, bool hasPreviousPage, string? startCursor, string? endCursor) => new()
    {
        TotalCount = totalCount,
        Edges = edges,
        PageInfo = new PageInfo
        {
            HasNextPage = hasNextPage,
            HasPreviousPage = hasPreviousPage,
            StartCursor = startCursor,
            EndCursor = endCursor,
        },
    };
}
