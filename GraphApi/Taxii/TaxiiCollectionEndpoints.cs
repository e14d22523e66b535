using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using ThreatGraph.Contracts.Taxii;
using ThreatGraph.GraphApi.Security;

namespace ThreatGraph.GraphApi.Taxii;

/// <summary>TAXII collections: the list (one collection) and the collection resource, whose <c>can_write</c> is
/// what the <see cref="Roles.Ingest"/> policy says of the caller.</summary>
static class TaxiiCollectionEndpoints
{
    internal static async Task<IResult> CollectionsAsync(string root, HttpContext http, IAuthorizationService authorization)
    {
        if (TaxiiEndpoints.Missing(root) is { } missing)
        {
            return missing;
        }
        var canWrite = await CanWriteAsync(http, authorization);
        return TaxiiResults.Json(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("collections");
            WriteCollection(w, canWrite);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    internal static async Task<IResult> CollectionAsync(string root, string collection, HttpContext http, IAuthorizationService authorization)
    {
        if (TaxiiEndpoints.Missing(root, collection) is { } missing)
        {
            return missing;
        }
        var canWrite = await CanWriteAsync(http, authorization);
        return TaxiiResults.Json(w => WriteCollection(w, canWrite));
    }

    static async Task<bool> CanWriteAsync(HttpContext http, IAuthorizationService authorization) =>
        (await authorization.AuthorizeAsync(http.User, http, Roles.Ingest)).Succeeded;

    static void WriteCollection(Utf8JsonWriter w, bool canWrite)
    {
        w.WriteStartObject();
        w.WriteString("id", TaxiiCollections.DefaultId);
        w.WriteString("title", "ThreatGraph shared collection");
        w.WriteString("description", "Every object version ingested into this deployment, by any path; each caller sees what TLP 2.0 lets it see.");
        w.WriteBoolean("can_read", true);
        w.WriteBoolean("can_write", canWrite);
        w.WriteStartArray("media_types");
        w.WriteStringValue(TaxiiMediaTypes.Stix);
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
