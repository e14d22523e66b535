using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace ThreatGraph.Enrichment.Reference.IpAsn;

/// <summary>
/// Reads ip-location-db's CSV files (<c>ip_range_start,ip_range_end,…</c>, addresses in text form, ranges inclusive,
/// sorted by start): each row's range and the value columns after it, the last of which may be a quoted field with
/// commas and doubled quotes (AS organisation names).
/// </summary>
public static class IpRangeCsv
{
    /// <summary>One row: its 1-based line number, the range as text-parsed addresses, and its value columns.</summary>
    public readonly record struct Row(int Line, IPAddress Start, IPAddress End, string[] Values);

    /// <summary>The rows of <paramref name="path"/>, each with exactly <paramref name="valueColumns"/> values after the
    /// range; a malformed row fails with the file and line.</summary>
    public static IEnumerable<Row> Read(string path, int valueColumns)
    {
        var name = Path.GetFileName(path);
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }
            var fields = Split(text, 2 + valueColumns);
            if (fields is null)
            {
                throw new InvalidDataException($"{name} line {line}: expected {2 + valueColumns} columns: {text}");
            }
            if (!IPAddress.TryParse(fields[0], out var start) || !IPAddress.TryParse(fields[1], out var end)
                || start.AddressFamily != end.AddressFamily)
            {
                throw new InvalidDataException($"{name} line {line}: not an address range: {fields[0]},{fields[1]}");
            }
            yield return new Row(line, start, end, fields[2..]);
        }
    }

    public static uint V4(IPAddress address) => BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());

    public static UInt128 V6(IPAddress address) => BinaryPrimitives.ReadUInt128BigEndian(address.GetAddressBytes());

    public static bool IsV4(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork;

    /// <summary>The first <paramref name="count"/> - 1 fields split at commas, the rest as the last field (unquoted), or
    /// null when there are fewer.</summary>
    static string[]? Split(string text, int count)
    {
        var fields = new string[count];
        var at = 0;
        for (var i = 0; i < count - 1; i++)
        {
            var comma = text.IndexOf(',', at);
            if (comma < 0)
            {
                return null;
            }
            fields[i] = text[at..comma];
            at = comma + 1;
        }
        var last = text[at..];
        fields[^1] = last.Length >= 2 && last[0] == '"' && last[^1] == '"' ? last[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : last;
        return fields;
    }
}
