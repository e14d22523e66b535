using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ThreatGraph.GraphApi.Taxii;
using ThreatGraph.Stix;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.GraphApi.Federation;

/// <summary>One page of a peer's collection: its objects in date_added order and where the page ends.</summary>
/// <param name="DateAddedLast">The page's X-TAXII-Date-Added-Last: the next checkpoint.</param>
/// <param name="Next">The envelope's <c>next</c>, when the server pages that way.</param>
public sealed record PulledPage(IReadOnlyList<JsonObject> Objects, bool More, DateTimeOffset? DateAddedLast, string? Next = null);

/// <summary>A peer that answered, but not with a page: the message names the peer and what it said.</summary>
public sealed class FederationPullException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The TAXII 2.1 client side of federation: <c>GET objects</c> with <c>added_after</c>, every version.</summary>
public sealed class TaxiiPeerClient(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "federation";

    /// <param name="next">The previous page's <c>next</c>, to continue a server's own paging.</param>
    /// <param name="limit">Objects to ask for; the peer's <see cref="FederationPeerOptions.PageSize"/> by default.</param>
    /// <exception cref="FederationPullException">The peer answered, but not with a page, or not within
    /// <see cref="FederationPeerOptions.TimeoutSeconds"/>.</exception>
    public async Task<PulledPage> GetObjectsAsync(FederationPeerOptions peer, DateTimeOffset? addedAfter, CancellationToken cancel,
        string? next = null, int? limit = null)
    {
        var url = $"{peer.Url.TrimEnd('/')}/collections/{Uri.EscapeDataString(peer.Collection)}/objects/?limit={limit ?? peer.PageSize}&match[version]=all"
                  + (addedAfter is { } after ? "&added_after=" + Uri.EscapeDataString(TaxiiTimestamp.Format(after)) : "")
                  + (next is not null ? "&next=" + Uri.EscapeDataString(next) : "");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(TaxiiMediaTypes.Taxii));
        request.Headers.Authorization = new AuthenticationHeaderValue(peer.AuthScheme, peer.ApiKey);
        // A peer that does not answer in time is a failed poll like any other, not a job stuck for the client's timeout.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(peer.TimeoutSeconds));
        byte[] body;
        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        }
        catch (OperationCanceledException e) when (!cancel.IsCancellationRequested)
        {
            throw new FederationPullException($"peer '{peer.Name}' did not answer GET objects within {peer.TimeoutSeconds} s (Federation:Peers:N:TimeoutSeconds)", e);
        }
        using var answered = response;
        if (!response.IsSuccessStatusCode)
        {
            throw new FederationPullException($"peer '{peer.Name}' answered HTTP {(int)response.StatusCode} to GET objects: {ErrorText(body)}");
        }
        JsonObject envelope;
        try
        {
            envelope = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException e)
        {
            throw new FederationPullException($"peer '{peer.Name}' sent something that is not a TAXII envelope: {e.Message}", e);
        }
        if (envelope["objects"] is { } o && o is not JsonArray || envelope["more"] is { } mv && !(mv is JsonValue v && v.TryGetValue<bool>(out _)))
        {
            throw new FederationPullException($"peer '{peer.Name}' sent something that is not a TAXII envelope: 'objects' must be a list and 'more' a boolean");
        }
        var array = envelope["objects"] as JsonArray;
        var objects = array?.OfType<JsonObject>().ToList() ?? [];
        array?.Clear(); // detaches them, so that each object can be edited and re-serialised on its own
        var more = envelope["more"] is JsonValue m && m.TryGetValue<bool>(out var b) && b;
        DateTimeOffset? last = response.Headers.TryGetValues("X-TAXII-Date-Added-Last", out var values)
                               && StixTimestamp.TryParse(values.First(), out var t) ? t : null;
        var nextPage = envelope["next"] is JsonValue nv && nv.TryGetValue<string>(out var n) && n.Length > 0 ? n : null;
        return new PulledPage(objects, more, last, nextPage);
    }

    /// <summary>The TAXII error resource's title and description, else the start of the body.</summary>
    static string ErrorText(byte[] body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject e && e["title"] is not null)
            {
                return $"{e["title"]}{(e["description"] is { } d ? ": " + d : "")}";
            }
        }
        catch (JsonException)
        {
        }
        var text = System.Text.Encoding.UTF8.GetString(body);
        return text.Length > 200 ? text[..200] + "…" : text;
    }
}
