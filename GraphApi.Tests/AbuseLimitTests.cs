using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>A host of its own with a tiny rate limit: 2 requests of burst, 1 per second.</summary>
public sealed class AbuseLimitTests(AbuseLimitTests.Host host) : IClassFixture<AbuseLimitTests.Host>
{
    public sealed class Host : ApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Security:RequestsPerSecond", "1");
            builder.UseSetting("Security:Burst", "3");
            builder.UseSetting("Security:MaxAliases", "2");
        }
    }

    [Fact]
    public async Task Over_the_rate_limit_an_organisation_gets_429_with_retry_after_and_another_organisation_is_not_affected()
    {
        using var jp = host.ClientFor(DevKeys.JpAnalyst2);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 6 && limited is null; i++)
        {
            var response = await jp.PostAsync("/graphql", Json("{ typeCounts { type } }"));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited = response; else response.Dispose();
        }
        Assert.NotNull(limited);
        Assert.Equal("1", limited.Headers.RetryAfter?.ToString());
        Assert.Contains("RATE_LIMITED", await limited.Content.ReadAsStringAsync());
        limited.Dispose();

        using var isac = host.ClientFor(DevKeys.IsacAnalyst);
        using var other = await isac.PostAsync("/graphql", Json("{ typeCounts { type } }"));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Too_many_aliases_are_refused_with_a_clear_message()
    {
        using var us = host.ClientFor(DevKeys.UsAnalyst);
        us.DefaultRequestHeaders.TryAddWithoutValidation("Accept", ApiFactory.GraphQLAccept);
        using var response = await us.PostAsync("/graphql", Json("{ a: typeCounts { type } b: typeCounts { type } c: typeCounts { type } }"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("more than 2 aliases", await response.Content.ReadAsStringAsync());
    }

    static StringContent Json(string query) =>
        new(System.Text.Json.JsonSerializer.Serialize(new { query }), Encoding.UTF8, "application/json");
}
