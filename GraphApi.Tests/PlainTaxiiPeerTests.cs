using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.GraphApi.Federation;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;
using K = ThreatGraph.TestSupport.DevKeys;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// Issue 15, part 2: a TAXII 2.1 server that is not ThreatGraph as a federation source. One "us" deployment pulls from
/// six scripted peers: the OASIS reference server's data (medallion's default_data.json, version history included),
/// a server whose date_added ties across page boundaries, and four that misbehave (slow, 5xx, not TAXII, endless
/// "more"). What the rules allow lands once, with the provenance the receiver records; the rest is reported and backed off.
/// </summary>
public sealed class PlainTaxiiPeerTests(PlainTaxiiPeerTests.Host host) : IClassFixture<PlainTaxiiPeerTests.Host>
{
    const string MedallionCollection = "91a7b528-80eb-42ed-a74d-c6fbd5a26116";
    const string BasicCredentials = "dXNlcjpwYXNz"; // user:pass, as medallion's sample configuration has it

    [Fact]
    public async Task The_reference_servers_collection_arrives_with_its_version_history_and_recorded_provenance()
    {
        var peer = await host.PeerAsync("medallion", p => p["caughtUp"]!.GetValue<bool>() && p["applied"]!.GetValue<int>() + p["unchanged"]!.GetValue<int>() == 8);
        Assert.Equal(0, peer["refused"]!.GetValue<int>());
        Assert.Equal("2017-12-31T13:49:53.935000Z", peer["checkpoint"]!.GetValue<string>());

        var data = await host.DataAsync("""
            { i: object(id: "indicator--6770298f-0fd8-471a-ab8c-1c658a46574e") { modified versionCount provenance { deployment organisation tlp reportedAt identity } }
              m: object(id: "malware--c0931cc6-c75e-47e5-9036-78fabc95d4ec") { modified versionCount originalStix20 stix }
              r: object(id: "relationship--2f9a9aa9-108a-4333-83e2-4fb25add0463") { id } }
            """, apiKey: K.UsAnalyst);
        var indicator = data["i"]!;
        Assert.Equal("2017-01-27T13:49:53.935Z", indicator["modified"]!.GetValue<string>());
        Assert.Equal(3, indicator["versionCount"]!.GetValue<int>()); // every version, in order
        Assert.Equal("medallion-trustgroup1", indicator["provenance"]!["deployment"]!.GetValue<string>());
        Assert.Equal("oasis", indicator["provenance"]!["organisation"]!.GetValue<string>());
        Assert.Equal("green", indicator["provenance"]!["tlp"]!.GetValue<string>());
        Assert.Equal("2017-12-31T13:49:53.935000Z", indicator["provenance"]!["reportedAt"]!.GetValue<string>());
        Assert.True(indicator["provenance"]!["identity"] is null); // medallion's objects name no created_by_ref
        // The two malware versions share one date_added at the peer, on two pages (of 2), the newer one (STIX 2.0) first:
        // both arrive; the newer is upgraded and current, and the older, arriving after it, is "unchanged" as STIX
        // versioning here has it (history grows forward only; README "How it works").
        var malware = data["m"]!;
        Assert.Equal(1, malware["versionCount"]!.GetValue<int>());
        Assert.Equal((7, 1), (peer["applied"]!.GetValue<int>(), peer["unchanged"]!.GetValue<int>()));
        Assert.Equal("2018-02-23T18:30:00.000Z", malware["modified"]!.GetValue<string>());
        Assert.NotNull(malware["originalStix20"]);
        Assert.Contains("\"spec_version\":\"2.1\"", malware["stix"]!.GetValue<string>());
        Assert.NotNull(data["r"]);

        // Later polls re-read the last object (the overlap) and apply nothing again.
        var polls = host.Requests.Count(r => r.Url.Contains("medallion.invalid"));
        peer = await host.PeerAsync("medallion", _ => host.Requests.Count(r => r.Url.Contains("medallion.invalid")) >= polls + 5);
        Assert.Equal((7, 1, 0), (peer["applied"]!.GetValue<int>(), peer["unchanged"]!.GetValue<int>(), peer["consecutiveErrors"]!.GetValue<int>()));

        // How it asked: every version, with the scheme the peer was configured with.
        Assert.All(host.Requests.Where(r => r.Url.Contains("medallion.invalid")), r =>
        {
            Assert.Contains("match[version]=all", r.Url);
            Assert.Equal("Basic " + BasicCredentials, r.Authorization);
        });
    }

    [Fact]
    public async Task Equal_date_added_across_a_page_boundary_loses_nothing_and_applies_nothing_twice()
    {
        var s = host.Ties;
        var peer = await host.PeerAsync("ties", p => p["caughtUp"]!.GetValue<bool>() && p["applied"]!.GetValue<int>() == 6 && p["refused"]!.GetValue<int>() == 1);
        // Polled again and again since: the overlap re-reads the last page, and nothing of it counts twice.
        await host.PeerAsync("ties", _ => host.Requests.Count(r => r.Url.Contains("ties.invalid")) >= 12);
        peer = await host.PeerAsync("ties", _ => true);
        Assert.Equal((6, 0, 1), (peer["applied"]!.GetValue<int>(), peer["unchanged"]!.GetValue<int>(), peer["refused"]!.GetValue<int>()));
        Assert.Equal(0, peer["consecutiveErrors"]!.GetValue<int>());

        foreach (var id in s.Green)
        {
            var seen = await host.DataAsync($$"""{ object(id: "{{id}}") { versionCount provenance { deployment organisation tlp identity } } }""", apiKey: K.JpAnalyst);
            Assert.True(seen["object"] is not null, $"{id} was skipped");
            Assert.Equal(1, seen["object"]!["versionCount"]!.GetValue<int>());
            var provenance = seen["object"]!["provenance"]!;
            Assert.Equal(("ties", "oasis", "green"), (provenance["deployment"]!.GetValue<string>(), provenance["organisation"]!.GetValue<string>(), provenance["tlp"]!.GetValue<string>()));
            Assert.Equal(id == s.Green[2] ? TiesScript.Author : null, provenance["identity"]?.GetValue<string>()); // the object's own created_by_ref
        }
        // A marking the receiver cannot read fails closed (the reporting organisation only); RED never comes in.
        foreach (var key in new[] { K.UsAnalyst, K.JpAnalyst, K.IsacAnalyst })
        {
            var hidden = await host.DataAsync($$"""{ r: object(id: "{{s.Red}}") { id } u: object(id: "{{s.UnknownMarking}}") { id } }""", apiKey: key);
            Assert.True(hidden["r"] is null && hidden["u"] is null, $"{key}: {hidden.ToJsonString()}");
        }
        Assert.DoesNotContain(s.Red, peer["lastError"]?.GetValue<string>() ?? "");
    }

    [Fact]
    public async Task A_server_that_pages_with_next_is_followed_and_its_amber_is_refused()
    {
        var peer = await host.PeerAsync("cursor", p => p["caughtUp"]!.GetValue<bool>() && p["applied"]!.GetValue<int>() + p["refused"]!.GetValue<int>() == 6);
        Assert.Equal((5, 1), (peer["applied"]!.GetValue<int>(), peer["refused"]!.GetValue<int>()));
        Assert.Contains("TLP:AMBER not shared with us-cisa", peer["lastError"]!.GetValue<string>());
        // Polled again and again since: every poll re-reads the objects at the checkpoint (all six here), none twice.
        await host.PeerAsync("cursor", _ => host.Requests.Count(r => r.Url.Contains("cursor.invalid")) >= 15);
        peer = await host.PeerAsync("cursor", _ => true);
        Assert.Equal((5, 0, 1, 0), (peer["applied"]!.GetValue<int>(), peer["unchanged"]!.GetValue<int>(), peer["refused"]!.GetValue<int>(),
            peer["consecutiveErrors"]!.GetValue<int>()));
        Assert.Contains(host.Requests, r => r.Url.Contains("cursor.invalid") && r.Url.Contains("next=2"));
        foreach (var id in host.Cursor.Green)
        {
            Assert.NotNull((await host.DataAsync($$"""{ object(id: "{{id}}") { id } }""", apiKey: K.IsacAnalyst))["object"]);
        }
        foreach (var key in new[] { K.UsAnalyst, K.JpAnalyst })
        {
            Assert.True((await host.DataAsync($$"""{ object(id: "{{host.Cursor.Amber}}") { id } }""", apiKey: key))["object"] is null);
        }
    }

    [Theory]
    [InlineData("slow", "did not answer GET objects within 0.3 s")]
    [InlineData("broken", "answered HTTP 503")]
    [InlineData("html", "not a TAXII envelope")]
    [InlineData("endless", "keeps answering more: true without anything new")]
    public async Task A_misbehaving_peer_is_reported_and_backed_off(string name, string message)
    {
        var peer = await host.PeerAsync(name, p => p["consecutiveErrors"]!.GetValue<int>() >= 2);
        Assert.Contains(message, peer["lastError"]!.GetValue<string>());
        var lastError = DateTimeOffset.Parse(peer["lastErrorAt"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var retryAt = DateTimeOffset.Parse(peer["retryAt"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        // The wait doubles with each failure in a row: 0.2 s × 2^n (n ≥ 2 here), computed when the failure is recorded.
        Assert.True(retryAt - lastError >= TimeSpan.FromSeconds(0.2 * 4 * 0.9), $"retryAt {retryAt:O}, last error {lastError:O}");
        if (name == "endless")
        {
            Assert.Equal(1, peer["applied"]!.GetValue<int>()); // its one object, once, however often it says "more"
            Assert.Equal(0, peer["unchanged"]!.GetValue<int>());
        }
        // Another organisation does not see the peers us-cisa pulls for.
        var theirs = await host.DataAsync("{ federationPeers { name } }", apiKey: K.JpAnalyst);
        Assert.Empty(theirs["federationPeers"]!.AsArray());
    }

    /// <summary>A "us" deployment pulling from the scripted peers every 0.2 s.</summary>
    public sealed class Host : ApiFactory
    {
        public TiesScript Ties { get; } = new();
        public CursorScript Cursor { get; } = new();
        public ConcurrentQueue<(string Url, string? Authorization)> Requests { get; } = new();
        readonly MedallionPeer _medallion = new(BasicCredentials);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Federation:Deployment", "us");
            var peers = new (string Name, string Url, string Collection, string? Extra)[]
            {
                ("medallion", "http://medallion.invalid/trustgroup1/", MedallionCollection, "basic"),
                ("ties", "http://ties.invalid/api/", "ties", null),
                ("cursor", "http://cursor.invalid/api/", "cursor", null),
                ("slow", "http://slow.invalid/api/", "c", null),
                ("broken", "http://broken.invalid/api/", "c", null),
                ("html", "http://html.invalid/api/", "c", null),
                ("endless", "http://endless.invalid/api/", "c", null),
            };
            for (var i = 0; i < peers.Length; i++)
            {
                var (name, url, collection, extra) = peers[i];
                var at = $"Federation:Peers:{i}:";
                builder.UseSetting(at + "Name", name);
                builder.UseSetting(at + "Kind", "Taxii");
                builder.UseSetting(at + "Url", url);
                builder.UseSetting(at + "Collection", collection);
                builder.UseSetting(at + "Organisation", "oasis");
                builder.UseSetting(at + "AcceptOrgs:0", "oasis");
                builder.UseSetting(at + "DefaultTlp", "green");
                builder.UseSetting(at + "ReceivingOrg", "us-cisa");
                builder.UseSetting(at + "PollSeconds", "0.2");
                builder.UseSetting(at + "PageSize", "2");
                builder.UseSetting(at + "TimeoutSeconds", "0.3");
                builder.UseSetting(at + "AuthScheme", extra == "basic" ? "Basic" : "Bearer");
                builder.UseSetting(at + "ApiKey", extra == "basic" ? BasicCredentials : "feed-token");
                if (name == "medallion")
                {
                    builder.UseSetting(at + "Deployment", "medallion-trustgroup1");
                }
            }
            builder.ConfigureTestServices(services => services.AddHttpClient(TaxiiPeerClient.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(() => new Handler(this)));
        }

        public async Task<JsonObject> PeerAsync(string name, Func<JsonObject, bool> done) =>
            (await Poll.ForAsync(async () =>
                {
                    var data = await DataAsync("{ federationPeers { name applied unchanged refused errors consecutiveErrors lastError lastErrorAt retryAt checkpoint caughtUp } }",
                        apiKey: K.UsAnalyst);
                    return data["federationPeers"]!.AsArray().Select(p => p!.AsObject()).FirstOrDefault(p => p["name"]!.GetValue<string>() == name);
                },
                peer => peer is not null && done(peer), TimeSpan.FromSeconds(60),
                peer => $"peer {name} did not reach the expected state: {peer?.ToJsonString()}"))!;

        async Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, CancellationToken cancel)
        {
            var uri = request.RequestUri!;
            Requests.Enqueue((Uri.UnescapeDataString(uri.AbsoluteUri), request.Headers.Authorization?.ToString()));
            var query = QueryHelpers.ParseQuery(uri.Query);
            switch (uri.Host)
            {
                case "medallion.invalid":
                    return _medallion.Answer(request, query);
                case "ties.invalid":
                    return TaxiiPage.Answer(Ties.Objects, query);
                case "cursor.invalid":
                    return TaxiiPage.Answer(Cursor.Objects, query, withNext: true);
                case "slow.invalid":
                    await Task.Delay(Timeout.Infinite, cancel); // answers only when the client gives up
                    throw new OperationCanceledException(cancel);
                case "broken.invalid":
                    return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("upstream down") };
                case "html.invalid":
                    return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html><body>Welcome</body></html>", Encoding.UTF8, "text/html") };
                default: // endless: the same page, always "more"
                    var page = TaxiiPage.Answer([(TiesScript.Indicator(Endless, null), TiesScript.T2)], new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>());
                    var body = JsonNode.Parse(await page.Content.ReadAsStringAsync(cancel))!.AsObject();
                    body["more"] = true;
                    page.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
                    page.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(TaxiiPage.MediaType);
                    return page;
            }
        }

        static readonly string Endless = StixBuilder.NewId("indicator");

        sealed class Handler(Host host) : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
                host.AnswerAsync(request, cancellationToken);
        }
    }

    /// <summary>A server that pages with <c>next</c>: six objects all added at one instant (no added_after could page
    /// them), one of them AMBER.</summary>
    public sealed class CursorScript
    {
        public IReadOnlyList<string> Green { get; } = [.. Enumerable.Range(0, 5).Select(_ => StixBuilder.NewId("indicator"))];
        public string Amber { get; } = StixBuilder.NewId("indicator");

        public IReadOnlyList<(JsonObject Object, DateTimeOffset DateAdded)> Objects =>
            [.. Green.Take(3).Select(id => (TiesScript.Indicator(id, null), TiesScript.T1)),
             (TiesScript.Indicator(Amber, Tlp.AmberId), TiesScript.T1),
             .. Green.Skip(3).Select(id => (TiesScript.Indicator(id, Tlp.ClearId), TiesScript.T1))];
    }

    /// <summary>A server whose date_added ties across page boundaries: 3 objects at T2 with pages of 2, and 3 at T3 (one
    /// RED, one with a marking nobody here can read).</summary>
    public sealed class TiesScript
    {
        public static readonly DateTimeOffset T1 = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
        public static readonly DateTimeOffset T2 = T1.AddSeconds(1);
        public static readonly DateTimeOffset T3 = T1.AddSeconds(2);

        public IReadOnlyList<string> Green { get; } = [.. Enumerable.Range(0, 5).Select(_ => StixBuilder.NewId("indicator"))];
        public string Red { get; } = StixBuilder.NewId("indicator");
        public string UnknownMarking { get; } = StixBuilder.NewId("indicator");

        public IReadOnlyList<(JsonObject Object, DateTimeOffset DateAdded)> Objects =>
        [
            (Indicator(Green[0], null), T1),
            (Indicator(Green[1], null), T2),
            (Authored(Indicator(Green[2], Tlp.GreenId)), T2),
            (Indicator(Green[3], null), T2),
            (Indicator(Green[4], null), T3),
            (Indicator(Red, Tlp.RedId), T3),
            (Indicator(UnknownMarking, "marking-definition--0badc0de-0000-4000-8000-0000000000aa"), T3),
        ];

        public const string Author = "identity--5e1c3c24-2b5c-4bfb-9e59-6a3a0b7c8d01";

        static JsonObject Authored(JsonObject o)
        {
            o["created_by_ref"] = Author;
            return o;
        }

        public static JsonObject Indicator(string id, string? marking)
        {
            var o = StixBuilder.Sdo("indicator", id, name: "feed " + id);
            o["pattern"] = $"[domain-name:value = '{id[^12..]}.feed.example']";
            o["pattern_type"] = "stix";
            o["valid_from"] = "2025-01-01T00:00:00Z";
            if (marking is not null)
            {
                o["object_marking_refs"] = new JsonArray(marking);
            }
            return o;
        }
    }
}
