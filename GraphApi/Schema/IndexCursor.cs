using System.Text;

namespace ThreatGraph.GraphApi.Schema;

/// <summary>Opaque Relay cursors of index-ordered connections (<c>search</c>, <c>campaigns</c>): the id of the edge's
/// object, a position in the index's total order (<see cref="ThreatGraph.Contracts.Index.IndexOrder"/>: type, then id), so a page
/// after a cursor is exact whatever was added or removed since.</summary>
public static class IndexCursor
{
    const string Prefix = "k:";

    public static string From(string id) => Convert.ToBase64String(Encoding.UTF8.GetBytes(Prefix + id));

    /// <summary>The id after which the page starts (null when no cursor is given).</summary>
    /// <exception cref="GraphQL.ExecutionError">The cursor was not made by this server.</exception>
    public static string? After(string? cursor)
    {
        if (cursor is null)
        {
            return null;
        }
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            if (text.StartsWith(Prefix, StringComparison.Ordinal) && Stix.StixId.IsValid(text[Prefix.Length..]))
            {
                return text[Prefix.Length..];
            }
        }
        catch (FormatException)
        {
        }
        throw new GraphQL.ExecutionError($"invalid cursor '{cursor}': pass an endCursor or cursor this API returned") { Code = "BAD_CURSOR" };
    }
}
