using System.Text;

namespace ThreatGraph.GraphApi.Schema;

/// <summary>Opaque Relay cursors over an offset.</summary>
public static class Cursor
{
    public static string From(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes("o:" + offset));

    /// <summary>The offset after the cursor (0 when null).</summary>
    /// <exception cref="GraphQL.ExecutionError">The cursor was not made by this server.</exception>
    public static int After(string? cursor)
    {
        if (cursor is null)
        {
            return 0;
        }
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            if (text.StartsWith("o:", StringComparison.Ordinal) && int.TryParse(text[2..], out var offset) && offset >= 0)
            {
                return offset + 1;
            }
        }
        catch (FormatException)
        {
        }
        throw new GraphQL.ExecutionError($"invalid cursor '{cursor}': pass an endCursor or cursor this API returned") { Code = "BAD_CURSOR" };
    }
}
