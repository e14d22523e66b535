using System.Text.Json.Nodes;
using ThreatGraph.Stix.Identifiers;

namespace ThreatGraph.Enrichment.Reference.Domains;

/// <summary>
/// <c>registered-domain</c>: a <c>domain-name</c> or <c>url</c> → the <c>domain-name</c> of its registered domain
/// (<see cref="RegisteredDomains"/>) and a <c>related-to</c> relationship to it described as "registered domain".
/// STIX 2.1 has no relationship type for "sub-domain of" (<c>resolves_to_refs</c> means DNS resolution, which this is
/// not), and <c>related-to</c> is the one the correlation already weighs (0.5), so two sub-domains of one registered
/// domain link, as an analyst would link them. A domain that is its own registered domain, an IP host and a public
/// suffix give nothing.
/// </summary>
public sealed class RegisteredDomainEnricher(RegisteredDomains domains) : IEnricher
{
    public const string JobName = "registered-domain";

    public string Name => JobName;

    public IReadOnlyCollection<string> ObjectTypes { get; } = ["domain-name", "url"];

    public ValueTask<EnrichmentResult> EnrichAsync(EnrichmentInput input, IEnrichmentContext context, CancellationToken cancellationToken)
    {
        var value = DerivedObjects.String(input.Stix, "value")
            ?? throw new ArgumentException($"{input.Id} has no string 'value'");
        var host = input.Type == "url" ? UrlHost(input.Id, value) : ObservableNormalizer.NormalizeValue("domain-name", value);
        if (host is null || domains.RegisteredDomain(host) is not { } registered || (input.Type == "domain-name" && registered == host))
        {
            return ValueTask.FromResult(EnrichmentResult.None);
        }
        var domain = DerivedObjects.Sco("domain-name", "value", registered);
        var relationship = DerivedObjects.Relationship(JobName, "related-to", input.Id, domain["id"]!.GetValue<string>(),
            $"registered domain of {host} (public suffix list, as packaged by npm psl)", context.Now);
        return ValueTask.FromResult(new EnrichmentResult([domain, relationship]));
    }

    /// <summary>The URL's host as written (lower-case; <see cref="Uri.Host"/> keeps Unicode labels), or null for a URL
    /// without one (<c>mailto:</c>, <c>file:</c>). Text that is not an absolute URL fails, naming the object.</summary>
    static string? UrlHost(string id, string url)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            throw new ArgumentException($"{id}: '{url}' is not an absolute URL");
        }
        return string.IsNullOrEmpty(uri.Host) ? null : ObservableNormalizer.NormalizeValue("domain-name", uri.Host);
    }
}
