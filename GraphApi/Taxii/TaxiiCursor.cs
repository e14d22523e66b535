using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace ThreatGraph.GraphApi.Taxii;

/// <summary>
/// The <c>next</c> token: the log position of the last item served, opaque to clients. Positions never move (the log
/// only grows at its end) and live in grain storage, so a token stays valid across restarts and concurrent writes.
/// </summary>
public static class TaxiiCursor
{
    const string Prefix = "tg1:";

    public static string Encode(long seq) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + seq.ToString(CultureInfo.InvariantCulture)));

    public static bool TryDecode(string? token, out long seq)
    {
        seq = 0;
        if (string.IsNullOrEmpty(token))
        {
            return true;
        }
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            return text.StartsWith(Prefix, StringComparison.Ordinal)
                   && long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out seq) && seq >= 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
