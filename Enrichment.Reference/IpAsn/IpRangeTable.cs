using System.Numerics;

namespace ThreatGraph.Enrichment.Reference.IpAsn;

/// <summary>
/// Inclusive address ranges (IPv4 as <see cref="uint"/>, IPv6 as <see cref="UInt128"/>) mapped to a value index, sorted
/// and disjoint, so a lookup is one binary search. Immutable once built: safe to share between threads.
/// </summary>
public sealed class IpRangeTable<TAddress> where TAddress : struct, IBinaryInteger<TAddress>, IUnsignedNumber<TAddress>
{
    readonly TAddress[] _starts;
    readonly TAddress[] _ends;
    readonly int[] _values;

    IpRangeTable(TAddress[] starts, TAddress[] ends, int[] values) => (_starts, _ends, _values) = (starts, ends, values);

    public int Count => _starts.Length;

    /// <summary>The value index of the range holding <paramref name="address"/>, or -1.</summary>
    public int Find(TAddress address)
    {
        var i = Array.BinarySearch(_starts, address);
        if (i < 0)
        {
            i = ~i - 1;
        }
        return i >= 0 && _ends[i] >= address ? _values[i] : -1;
    }

    /// <summary>Collects rows in the order of the file (sorted by range start). Where a row overlaps the one before it
    /// (the packaged data has a few), the later row wins for the addresses both cover; both stay valid elsewhere.</summary>
    public sealed class Builder(string source)
    {
        readonly List<(TAddress Start, TAddress End, int Value)> _rows = [];

        public int OverlapsResolved { get; private set; }

        public void Add(TAddress start, TAddress end, int value, int line)
        {
            if (end < start)
            {
                throw new InvalidDataException($"{source} line {line}: the range ends before it starts");
            }
            if (_rows.Count > 0 && start <= _rows[^1].End)
            {
                var last = _rows[^1];
                if (start < last.Start)
                {
                    throw new InvalidDataException($"{source} line {line}: ranges are not sorted by their start");
                }
                OverlapsResolved++;
                _rows.RemoveAt(_rows.Count - 1);
                if (start > last.Start)
                {
                    _rows.Add((last.Start, start - TAddress.One, last.Value));
                }
                _rows.Add((start, end, value));
                if (end < last.End)
                {
                    _rows.Add((end + TAddress.One, last.End, last.Value));
                }
                return;
            }
            _rows.Add((start, end, value));
        }

        public IpRangeTable<TAddress> Build() =>
            new([.. _rows.Select(r => r.Start)], [.. _rows.Select(r => r.End)], [.. _rows.Select(r => r.Value)]);
    }
}
