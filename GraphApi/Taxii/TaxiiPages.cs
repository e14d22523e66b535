using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.GraphApi.Taxii;

/// <summary>The paged TAXII resources: the common <c>more</c>/<c>next</c> members, the date headers, and the
/// envelope of objects (stored JSON written byte for byte).</summary>
static class TaxiiPages
{
    const string DateAddedFirst = "X-TAXII-Date-Added-First";
    const string DateAddedLast = "X-TAXII-Date-Added-Last";

    /// <summary>A resource of <paramref name="page"/>: <c>more</c>, <c>next</c>, then the array <paramref name="items"/>
    /// (left out when the page is empty) written by <paramref name="writeItem"/>, with the date headers.</summary>
    internal static IResult Json(TaxiiPage page, string items, Action<Utf8JsonWriter, TaxiiLogEntry, string?> writeItem) => TaxiiResults.Json(w =>
    {
        w.WriteStartObject();
        w.WriteBoolean("more", page.More);
        if (page.Next is { } next)
        {
            w.WriteString("next", next);
        }
        if (page.Items.Count > 0)
        {
            w.WriteStartArray(items);
            foreach (var (entry, json) in page.Items)
            {
                writeItem(w, entry, json);
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }, headers: DateHeaders(page));

    /// <summary>The envelope resource: the objects' stored JSON.</summary>
    internal static IResult Envelope(TaxiiPage page) =>
        Json(page, "objects", (w, _, json) => w.WriteRawValue(json!, skipInputValidation: true));

    static Dictionary<string, string>? DateHeaders(TaxiiPage page) => page.Items.Count == 0 ? null : new()
    {
        [DateAddedFirst] = TaxiiTimestamp.Format(page.Items[0].Entry.DateAdded),
        [DateAddedLast] = TaxiiTimestamp.Format(page.Items[^1].Entry.DateAdded),
    };
}
