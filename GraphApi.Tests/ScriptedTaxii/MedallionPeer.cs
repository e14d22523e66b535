using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Primitives;
using ThreatGraph.TestSupport;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// The OASIS reference server (medallion) serving its default data (<c>../shared/data/taxii/medallion-default_data.json</c>,
/// read in place): API root <c>trustgroup1</c>, the "High Value Indicator Collection" with every object version and its
/// manifest's date_added — two versions of one malware share one date_added, and the newer one is STIX 2.0. HTTP Basic
/// credentials are required, as medallion requires them.
/// </summary>
public sealed class MedallionPeer(string basicCredentials)
{
    const string Collection = "91a7b528-80eb-42ed-a74d-c6fbd5a26116";

    readonly Lazy<IReadOnlyList<(JsonObject, DateTimeOffset)>> _entries = new(Load);

    public HttpResponseMessage Answer(HttpRequestMessage request, IDictionary<string, StringValues> query)
    {
        if (request.Headers.Authorization?.ToString() != "Basic " + basicCredentials)
        {
            return new HttpResponseMessage(HttpStatusCode.Unauthorized);
        }
        if (request.RequestUri!.AbsolutePath != $"/trustgroup1/collections/{Collection}/objects/")
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound);
        }
        return TaxiiPage.Answer(_entries.Value, query);
    }

    /// <summary>Each object version with the date_added its manifest entry gives (matched by id and version, in order).</summary>
    static IReadOnlyList<(JsonObject, DateTimeOffset)> Load()
    {
        var data = JsonNode.Parse(SharedData.Text("taxii/medallion-default_data.json"))!;
        var collection = data["trustgroup1"]!["collections"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == Collection)!;
        var manifest = collection["manifest"]!.AsArray().Select(m => m!).ToList();
        var result = new List<(JsonObject, DateTimeOffset)>();
        foreach (var o in collection["objects"]!.AsArray().Select(o => o!.AsObject()))
        {
            var version = (o["modified"] ?? o["created"])!.GetValue<string>();
            var entry = manifest.First(m => m["id"]!.GetValue<string>() == o["id"]!.GetValue<string>() && m["version"]!.GetValue<string>() == version);
            manifest.Remove(entry);
            result.Add(((JsonObject)o.DeepClone(), DateTimeOffset.Parse(entry["date_added"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal)));
        }
        return result;
    }
}
