using ThreatGraph.Enrichment.Reference.Domains;
using ThreatGraph.Stix.Identifiers;
using static ThreatGraph.Enrichment.Reference.Tests.TestContext;

namespace ThreatGraph.Enrichment.Reference.Tests;

public sealed class RegisteredDomainEnricherTests
{
    static readonly RegisteredDomainEnricher Enricher = new(RegisteredDomains.Shipped);

    [Theory]
    [InlineData("domain-name", "login.secure.evil-bank.co.uk", "login.secure.evil-bank.co.uk")]
    [InlineData("domain-name", "Login.Evil-Bank.CO.UK.", "login.evil-bank.co.uk")]
    [InlineData("url", "https://login.evil-bank.co.uk:8443/a/b?c=d", "login.evil-bank.co.uk")]
    [InlineData("url", "http://evil-bank.co.uk/", "evil-bank.co.uk")] // a URL on the registered domain itself still names it
    public async Task A_name_or_URL_is_related_to_its_registered_domain(string type, string value, string host)
    {
        var input = Observable(type, value);
        var objects = await EnrichAsync(Enricher, input);

        Assert.Equal(2, objects.Count);
        var (domain, relationship) = (objects[0], objects[1]);
        Assert.Equal(("domain-name", "evil-bank.co.uk"), (Str(domain, "type"), Str(domain, "value")));
        Assert.Equal(ObservableNormalizer.CanonicalId("domain-name", "value", "evil-bank.co.uk"), Id(domain));
        Assert.Equal(("related-to", input.Id, Id(domain)), (Str(relationship, "relationship_type"), Str(relationship, "source_ref"), Str(relationship, "target_ref")));
        Assert.Equal($"registered domain of {host} (public suffix list, as packaged by npm psl)", Str(relationship, "description"));
    }

    [Fact]
    public async Task An_internationalised_host_keeps_its_form()
    {
        var objects = await EnrichAsync(Enricher, Observable("domain-name", "www.shop.公司.cn"));
        Assert.Equal("shop.公司.cn", Str(objects[0], "value"));
    }

    [Theory]
    [InlineData("domain-name", "evil-bank.co.uk")] // already registered
    [InlineData("domain-name", "co.uk")] // a public suffix
    [InlineData("url", "http://198.51.100.7/payload.bin")]
    [InlineData("url", "http://[2001:db8::1]/x")]
    [InlineData("url", "file:///etc/passwd")]
    public async Task Registered_domains_suffixes_and_address_hosts_give_nothing(string type, string value) =>
        Assert.Empty(await EnrichAsync(Enricher, Observable(type, value)));

    [Fact]
    public async Task A_url_value_that_is_not_a_URL_fails_naming_the_object()
    {
        var input = Observable("url", "not a url");
        var e = await Assert.ThrowsAsync<ArgumentException>(async () => await Enricher.EnrichAsync(input, Instance, default));
        Assert.Equal($"{input.Id}: 'not a url' is not an absolute URL", e.Message);
    }
}
