using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace ThreatGraph.GraphApi.Taxii;

/// <summary>
/// The <c>next</c> token: for each partition of the collection log, the position up to which the pages so far have
/// consumed it (README "TAXII 2.1"), opaque to clients. Positions never move (a partition only grows at its end) and
/// live in grain storage, so a token stays valid across restarts and concurrent writes. It names the partition count,
/// and a token of another layout is refused.
/// </summary>
public static class TaxiiCursor
{
    const string Prefix = "tg2:";

    public static string Encode(IReadOnlyList<long> positions) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
        Prefix + positions.Count.ToString(CultureInfo.InvariantCulture) + ":" + string.Join('.', positions.Select(p => p.ToString(CultureInfo.InvariantCulture)))));

    /// <summary>An absent token is the start (every position 0).</summary>
    public static bool TryDecode(string? token, int partitions, out long[] positions)
    {
        positions = new long[partitions];
        if (string.IsNullOrEmpty(token))
        {
            return true;
        }
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (!text.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return false;
            }
            var parts = text[Prefix.Length..].Split(':');
            if (parts.Length != 2 || parts[0] != partitions.ToString(CultureInfo.InvariantCulture))
            {
                return false;
            }
            var values = parts[1].Split('.');
            if (values.Length != partitions)
            {
                return false;
            }
            for (var i = 0; i < partitions; i++)
            {
                if (!long.TryParse(values[i], NumberStyles.None, CultureInfo.InvariantCulture, out positions[i]))
                {
                    return false;
                }
            }
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
