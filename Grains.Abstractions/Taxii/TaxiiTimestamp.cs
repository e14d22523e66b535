using System.Globalization;

namespace ThreatGraph.Contracts.Taxii;

/// <summary>TAXII timestamps: RFC 3339 in UTC with microseconds (date_added, the X-TAXII-Date-Added-* headers).</summary>
public static class TaxiiTimestamp
{
    public static string Format(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Truncated to whole microseconds, the precision TAXII timestamps carry.</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % 10, TimeSpan.Zero);
}
