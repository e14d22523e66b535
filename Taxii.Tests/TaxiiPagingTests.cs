using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace ThreatGraph.Taxii.Tests;

[Collection(TaxiiCollection.Name)]
public sealed class TaxiiPagingTests(TaxiiFactory api)
{
    static List<string> Ids(IEnumerable<JsonObject> objects) => [.. objects.Select(o => o["id"]!.GetValue<string>())];

    [Fact]
    public async Task Limit_and_next_page_through_everything_once_while_objects_keep_arriving()
    {
        var type = Stix.NewType();
        var initial = Enumerable.Range(0, 40).Select(_ => Stix.Custom(type)).ToList();
        await api.PostObjectsAsync(initial);
        var posted = Ids(initial);

        // A writer posts batches concurrently with the reader's pages, and between them.
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var more = new List<string>();
            for (var i = 0; i < 10 && !stop.IsCancellationRequested; i++)
            {
                var batch = Enumerable.Range(0, 5).Select(_ => Stix.Custom(type)).ToList();
                await api.PostObjectsAsync(batch);
                more.AddRange(Ids(batch));
            }
            return more;
        });
        var pages = 0;
        var read = await api.PageAllAsync("objects/", $"match[type]={type}&limit=7", betweenPages: async () =>
        {
            if (++pages == 3)
            {
                await writer; // the rest of the writes land mid-paging, behind the cursor's position
            }
        });
        var written = await writer;
        var expected = posted.Concat(written).ToList();
        Assert.Equal(read.Count, Ids(read).Distinct().Count()); // no duplicates
        Assert.Equal(expected.Order(), Ids(read).Order()); // no gaps
        Assert.Equal(posted, Ids(read).Take(posted.Count)); // in arrival order
    }

    [Fact]
    public async Task A_next_token_survives_the_log_grain_being_deactivated()
    {
        var type = Stix.NewType();
        var objects = Enumerable.Range(0, 9).Select(_ => Stix.Custom(type)).ToList();
        await api.PostObjectsAsync(objects);
        var (_, first, _) = await api.GetAsync(TaxiiFactory.Collection + $"objects/?match[type]={type}&limit=4");
        var next = first["next"]!.GetValue<string>();

        var management = api.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);

        var (_, second, _) = await api.GetAsync(TaxiiFactory.Collection + $"objects/?match[type]={type}&limit=4&next={next}");
        var (_, third, _) = await api.GetAsync(TaxiiFactory.Collection + $"objects/?match[type]={type}&limit=4&next={second["next"]}");
        var all = new[] { first, second, third }.SelectMany(p => p["objects"]!.AsArray().Select(o => o!["id"]!.GetValue<string>())).ToList();
        Assert.Equal(Ids(objects), all);
        Assert.False(third["more"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_page_never_exceeds_the_configured_maximum()
    {
        var type = Stix.NewType();
        await api.PostObjectsAsync(Enumerable.Range(0, 3).Select(_ => Stix.Custom(type)));
        var (_, page, _) = await api.GetAsync(TaxiiFactory.Collection + $"objects/?match[type]={type}&limit=100000");
        Assert.Equal(3, page["objects"]!.AsArray().Count);
        Assert.False(page["more"]!.GetValue<bool>());
    }
}

public sealed class TaxiiLimitTests : IAsyncLifetime
{
    readonly TaxiiFactory _api = new TaxiiFactory().With("Api:MaxBundleBytes", "2048").With("Taxii:MaxPageSize", "2");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task An_envelope_over_max_content_length_is_413_and_the_api_root_says_the_limit()
    {
        var (_, root, _) = await _api.GetAsync(TaxiiFactory.Base);
        Assert.Equal(2048, root["max_content_length"]!.GetValue<long>());
        var type = Stix.NewType();
        var envelope = new JsonObject { ["objects"] = new JsonArray([.. Enumerable.Range(0, 30).Select(_ => (JsonNode)Stix.Custom(type))]) };
        using var client = _api.TaxiiClientFor();
        using var content = new StringContent(envelope.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(TaxiiFactory.TaxiiType);
        using var response = await client.PostAsync(TaxiiFactory.Collection + "objects/", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("413", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["http_status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_limit_above_the_maximum_page_size_is_lowered_to_it()
    {
        var type = Stix.NewType();
        await _api.PostObjectsAsync(Enumerable.Range(0, 3).Select(_ => Stix.Custom(type)));
        var (_, page, _) = await _api.GetAsync(TaxiiFactory.Collection + $"objects/?match[type]={type}&limit=50");
        Assert.Equal(2, page["objects"]!.AsArray().Count);
        Assert.True(page["more"]!.GetValue<bool>());
    }
}
