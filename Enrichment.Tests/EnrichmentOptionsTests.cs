using Microsoft.Extensions.Configuration;
using ThreatGraph.Enrichment.Hosting;

namespace ThreatGraph.Enrichment.Tests;

public sealed class EnrichmentOptionsTests
{
    [Fact]
    public void Each_wrong_setting_is_named()
    {
        var options = new EnrichmentOptions { Org = "jp-nisc", Member = "us-cisa/x", Roles = ["analyst"], IdentityId = "jp", MaxConcurrency = 0, TimeoutSeconds = 0 };
        Assert.Equal(
        [
            "Enrichment:Member must be a member of Enrichment:Org ('jp-nisc/<name>'), not 'us-cisa/x'",
            "Enrichment:Roles must include 'enrichment': a job runs only as a member with that role",
            "Enrichment:IdentityId must be the organisation's STIX identity id (identity--…), not 'jp'",
            "Enrichment:MaxConcurrency must be between 1 and 256, not 0",
            "Enrichment:TimeoutSeconds must be above 0 and at most 3600, not 0",
        ], options.Validate());
    }

    [Fact]
    public void The_shipped_development_settings_are_valid()
    {
        var options = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, EnrichmentHostBuilder.ConfigurationFile)).Build()
            .GetSection(EnrichmentOptions.Section).Get<EnrichmentOptions>()!;
        Assert.Empty(options.Validate());
        Assert.Equal("jp-nisc/enrichment", options.Member);
    }
}
