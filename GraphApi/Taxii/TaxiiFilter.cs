using Microsoft.AspNetCore.Http;
using ThreatGraph.Stix;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.GraphApi.Taxii;

/// <summary>The URL filters of objects, manifest and versions: match[...], added_after, limit, next.</summary>
/// <param name="Positions">Where to continue in each partition of the log (the <c>next</c> token; zeros: from the start).</param>
public sealed record TaxiiFilter(
    IReadOnlyList<string>? Ids, IReadOnlyList<string>? Types, IReadOnlyList<string>? Versions, IReadOnlyList<string>? SpecVersions,
    DateTimeOffset? AddedAfter, int Limit, IReadOnlyList<long> Positions)
{
    /// <param name="partitions">The log's partition count (a <c>next</c> token holds one position per partition).</param>
    /// <returns>The filter, or an error message for a 400.</returns>
    public static (TaxiiFilter? Filter, string? Error) Parse(IQueryCollection query, TaxiiOptions options, int partitions)
    {
        DateTimeOffset? addedAfter = null;
        if (query["added_after"].FirstOrDefault() is { } a)
        {
            if (!StixTimestamp.TryParse(a, out var t))
            {
                return (null, $"added_after '{a}' is not a timestamp (RFC 3339, UTC, e.g. 2024-01-31T12:00:00.000Z)");
            }
            addedAfter = t;
        }
        var limit = options.DefaultPageSize;
        if (query["limit"].FirstOrDefault() is { } l)
        {
            if (!int.TryParse(l, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit < 1)
            {
                return (null, $"limit '{l}' is not a positive integer");
            }
        }
        limit = Math.Min(limit, options.MaxPageSize);
        if (!TaxiiCursor.TryDecode(query["next"].FirstOrDefault(), partitions, out var after))
        {
            return (null, "next is not a token this server gave out");
        }
        var versions = List(query, "match[version]");
        if (versions?.FirstOrDefault(v => v is not ("first" or "last" or "all") && !StixTimestamp.TryParse(v, out _)) is { } bad)
        {
            return (null, $"match[version] '{bad}' is not first, last, all or a timestamp");
        }
        return (new TaxiiFilter(List(query, "match[id]"), List(query, "match[type]"), versions, List(query, "match[spec_version]"),
            addedAfter, limit, after), null);
    }

    public TaxiiLogQuery ToLogQuery(long afterSeq, int take, DateTimeOffset? raiseTo = null) =>
        new(afterSeq, AddedAfter, Ids, Types, SpecVersions, Versions, take, RaiseTo: raiseTo);

    static List<string>? List(IQueryCollection query, string name)
    {
        var values = query[name].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        return values.Count == 0 ? null : values;
    }
}
