using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.GraphApi.Federation;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// The receiving side of federation against a scripted peer that misbehaves: it first answers garbage, then offers
/// objects a well-behaved ThreatGraph peer never would. The receiver does not trust it: only what the rules allow lands.
/// </summary>
public sealed class FederationReceiverTests : IClassFixture<FederationReceiverTests.ScriptedPeerFactory>
{
    const string PeerPage = "2026-03-01T10:00:00.000100Z";
    readonly ScriptedPeerFactory _api;

    public FederationReceiverTests(ScriptedPeerFactory api) => _api = api;

    [Fact]
    public async Task Only_what_the_markings_and_reporters_allow_lands_and_the_status_says_why()
    {
        var peer = await PollPeerAsync(p => p["applied"]!.GetValue<int>() == 2);
        Assert.Equal(5, peer["refused"]!.GetValue<int>());
        Assert.Equal(1, peer["unchanged"]!.GetValue<int>()); // our own object coming back
        Assert.True(peer["errors"]!.GetValue<int>() >= 1); // the garbage answer
        Assert.Contains("5 refused", peer["lastError"]!.GetValue<string>());
        Assert.DoesNotContain("--", peer["lastError"]!.GetValue<string>()); // no ids in a status others may read
        Assert.Equal(PeerPage, peer["checkpoint"]!.GetValue<string>());

        var s = _api.Script;
        Assert.NotNull(await ObjectAsync(s.Green, DevKeys.UsAnalyst));
        Assert.NotNull(await ObjectAsync(s.AmberForUs, DevKeys.UsAnalyst));
        foreach (var refused in new[] { s.Red, s.AmberNotForUs, s.UnknownOrg, s.NoProvenance, s.Invalid, s.Echo })
        {
            Assert.Null(await ObjectAsync(refused, DevKeys.UsAnalyst));
            Assert.Null(await ObjectAsync(refused, DevKeys.JpAnalyst)); // not even for the reporting org
        }

        // The provenance is kept beside the object, not in it.
        var green = await ObjectAsync(s.Green, DevKeys.UsAnalyst);
        Assert.Equal("jp", green!["provenance"]!["deployment"]!.GetValue<string>());
        Assert.Equal("2026-02-01T00:00:00.000000Z", green["provenance"]!["reportedAt"]!.GetValue<string>());
        Assert.DoesNotContain("x_threatgraph_provenance", green["stix"]!.GetValue<string>());

        // How it asked: every version, with the peer's key, and from the checkpoint once it had one (the next poll).
        await Poll.UntilAsync(() => _api.Requests.Any(r => r.Url.Contains("added_after=")), TimeSpan.FromSeconds(10),
            "the receiver polled again from its checkpoint");
        var requests = _api.Requests.ToList();
        Assert.All(requests, r => Assert.Contains("match[version]=all", r.Url));
        Assert.All(requests, r => Assert.Equal("ApiKey peer-secret", r.Authorization));
        Assert.Contains(requests, r => r.Url.Contains("added_after=" + PeerPage));
    }

    [Fact]
    public async Task Federation_peers_are_the_receiving_organisations_business()
    {
        await PollPeerAsync(p => p["applied"]!.GetValue<int>() == 2);
        var data = await _api.DataAsync("{ federationPeers { name } }", apiKey: DevKeys.JpAnalyst);
        Assert.Empty(data["federationPeers"]!.AsArray());
        // An auditor of another organisation sees no peer of us-cisa's either (issue 11: audit scoping).
        var audited = await _api.DataAsync("{ federationPeers { name applied errors } }", apiKey: DevKeys.JpAuditor);
        Assert.Empty(audited["federationPeers"]!.AsArray());
    }

    Task<JsonObject> PollPeerAsync(Func<JsonObject, bool> done) =>
        Poll.ForAsync(async () =>
            {
                var data = await _api.DataAsync("{ federationPeers { name applied unchanged refused errors lastError checkpoint } }", apiKey: DevKeys.UsAnalyst);
                return data["federationPeers"]!.AsArray().Single()!.AsObject();
            },
            done, TimeSpan.FromSeconds(60), peer => "the scripted page was not applied: " + peer?.ToJsonString());

    async Task<JsonNode?> ObjectAsync(string id, string key) =>
        (await _api.DataAsync($$"""{ object(id: "{{id}}") { id stix provenance { deployment reportedAt } } }""", apiKey: key))["object"];

    /// <summary>A "us" deployment whose one peer is a scripted TAXII server: garbage first, then one page, then nothing new.</summary>
    public sealed class ScriptedPeerFactory : ApiFactory
    {
        public PeerScript Script { get; } = new();
        public ConcurrentQueue<(string Url, string? Authorization)> Requests { get; } = new();
        int _calls;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Federation:Deployment", "us");
            builder.UseSetting("Federation:Peers:0:Name", "jp");
            builder.UseSetting("Federation:Peers:0:Url", "http://jp.invalid/taxii2/threatgraph/");
            builder.UseSetting("Federation:Peers:0:ApiKey", "peer-secret");
            builder.UseSetting("Federation:Peers:0:ReceivingOrg", "us-cisa");
            builder.UseSetting("Federation:Peers:0:PollSeconds", "0.2");
            builder.ConfigureTestServices(services => services.AddHttpClient(TaxiiPeerClient.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(() => new ScriptedHandler(this)));
        }

        HttpResponseMessage Answer(HttpRequestMessage request)
        {
            Requests.Enqueue((Uri.UnescapeDataString(request.RequestUri!.AbsoluteUri), request.Headers.Authorization?.ToString()));
            var call = Interlocked.Increment(ref _calls);
            var body = call switch
            {
                1 => "<html>not TAXII</html>",
                2 => Script.Page(),
                _ => """{"more": false}""",
            };
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/taxii+json") };
            if (call == 2)
            {
                response.Headers.Add("X-TAXII-Date-Added-Last", PeerPage);
            }
            return response;
        }

        sealed class ScriptedHandler(ScriptedPeerFactory factory) : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
                Task.FromResult(factory.Answer(request));
        }
    }

    /// <summary>What the scripted peer offers: two objects that may come in, six that may not.</summary>
    public sealed class PeerScript
    {
        public string Green { get; } = StixBuilder.NewId("indicator");
        public string AmberForUs { get; } = StixBuilder.NewId("indicator");
        public string Red { get; } = StixBuilder.NewId("indicator");
        public string AmberNotForUs { get; } = StixBuilder.NewId("indicator");
        public string UnknownOrg { get; } = StixBuilder.NewId("indicator");
        public string NoProvenance { get; } = StixBuilder.NewId("indicator");
        public string Invalid { get; } = StixBuilder.NewId("indicator");
        public string Echo { get; } = StixBuilder.NewId("indicator");

        public string Page()
        {
            var objects = new JsonArray(
                With(Indicator(Green, Tlp.GreenId), Provenance("jp", "jp-nisc", "green")),
                With(Indicator(AmberForUs, Tlp.AmberId, "us-cisa"), Provenance("jp", "jp-nisc", "amber")),
                With(Indicator(Red, Tlp.RedId, "us-cisa"), Provenance("jp", "jp-nisc", "red")),
                With(Indicator(AmberNotForUs, Tlp.AmberId), Provenance("jp", "jp-nisc", "amber")),
                With(Indicator(UnknownOrg, Tlp.GreenId), Provenance("jp", "somebody-else", "green")),
                Indicator(NoProvenance, Tlp.GreenId),
                With(Without(Indicator(Invalid, Tlp.GreenId), "pattern"), Provenance("jp", "jp-nisc", "green")),
                With(Indicator(Echo, Tlp.GreenId), Provenance("us", "us-cisa", "green")));
            return new JsonObject { ["more"] = false, ["objects"] = objects }.ToJsonString();
        }

        static JsonObject Indicator(string id, string tlp, string? recipient = null)
        {
            var o = StixBuilder.Sdo("indicator", id, name: "scripted " + id);
            o["pattern"] = $"[domain-name:value = '{id[^12..]}.example.net']";
            o["pattern_type"] = "stix";
            o["valid_from"] = "2024-01-01T00:00:00Z";
            o["object_marking_refs"] = new JsonArray(tlp);
            if (recipient is not null)
            {
                o["x_threatgraph_recipients"] = new JsonArray(recipient);
            }
            return o;
        }

        static JsonObject Provenance(string deployment, string org, string tlp) => new()
        {
            ["deployment"] = deployment, ["organisation"] = org, ["tlp"] = tlp,
            ["reported"] = "2026-02-01T00:00:00Z", ["date_added"] = "2026-03-01T10:00:00.000100Z",
        };

        static JsonObject With(JsonObject o, JsonObject provenance)
        {
            o["x_threatgraph_provenance"] = provenance;
            return o;
        }

        static JsonObject Without(JsonObject o, string property)
        {
            o.Remove(property);
            return o;
        }
    }
}
