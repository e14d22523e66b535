using System.Text.Json.Nodes;
using ThreatGraph.Stix.Identifiers;
using ThreatGraph.Stix.Warninglists;

namespace ThreatGraph.Enrichment.Reference.IpAsn;

/// <summary>
/// <c>ip-asn</c>: an address → the <c>autonomous-system</c> that announces it with a <c>belongs-to</c> relationship
/// (STIX 2.1's IPv4 and IPv6 Address Objects list a <c>belongs-to</c> relationship to autonomous-system and deprecate
/// the embedded <c>belongs_to_refs</c>), and the country its range is registered to as a <c>location</c> with a <c>located-at</c>
/// relationship. Special-purpose addresses (private, loopback, documentation…), CIDR blocks and addresses the data does
/// not list give nothing.
/// </summary>
public sealed class IpAsnEnricher(IpAsnDatabase database) : IEnricher
{
    public const string JobName = "ip-asn";

    static readonly Warninglists SpecialPurpose = BuiltinWarninglists.SpecialPurposeAddresses();

    public string Name => JobName;

    public IReadOnlyCollection<string> ObjectTypes { get; } = ["ipv4-addr", "ipv6-addr"];

    public ValueTask<EnrichmentResult> EnrichAsync(EnrichmentInput input, IEnrichmentContext context, CancellationToken cancellationToken)
    {
        var raw = DerivedObjects.String(input.Stix, "value")
            ?? throw new ArgumentException($"{input.Id} has no string 'value'");
        var value = ObservableNormalizer.NormalizeValue(input.Type, raw);
        if (value.Contains('/', StringComparison.Ordinal) || SpecialPurpose.Match(new JsonObject { ["type"] = input.Type, ["value"] = value }) is not null)
        {
            return ValueTask.FromResult(EnrichmentResult.None);
        }
        IpAsnRecord? record;
        try
        {
            record = database.Lookup(value);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"{input.Id}: {e.Message}", e);
        }
        if (record is null)
        {
            return ValueTask.FromResult(EnrichmentResult.None);
        }
        var objects = new List<JsonObject>();
        if (record.AsNumber is { } number)
        {
            var system = DerivedObjects.Sco("autonomous-system", "number", number);
            if (record.AsName is { } name)
            {
                system["name"] = name;
            }
            objects.Add(system);
            objects.Add(DerivedObjects.Relationship(JobName, "belongs-to", input.Id, system["id"]!.GetValue<string>(),
                $"{value} is announced by AS{number} (IP-to-ASN data of RouteViews, the RIRs via NRO and DB-IP, CC BY 4.0, as packaged by ip-location-db)",
                context.Now));
        }
        if (record.CountryCode is { } country)
        {
            var location = CountryLocation(country, input.Stix, context.Now);
            objects.Add(location);
            objects.Add(DerivedObjects.Relationship(JobName, "located-at", input.Id, location["id"]!.GetValue<string>(),
                $"{value} is in a range registered to {country} (RIR delegation data of NRO, CC BY 4.0, as packaged by ip-location-db): where it is registered, not necessarily where it is",
                context.Now));
        }
        return ValueTask.FromResult(new EnrichmentResult(objects));
    }

    /// <summary>One location per country and per set of markings: the host gives it the markings of the input that
    /// derived it, so addresses with different markings must not share one (a RED address's location written first
    /// would hide the country from every CLEAR address's reader).</summary>
    static JsonObject CountryLocation(string country, JsonObject input, DateTimeOffset now)
    {
        var markings = (input["object_marking_refs"] as JsonArray ?? []).Select(m => m?.GetValue<string>()).OfType<string>().Order(StringComparer.Ordinal);
        return DerivedObjects.Sdo("location", JobName, $"country:{country}\nmarkings:{string.Join(',', markings)}", now,
            ("name", country), ("country", country));
    }
}
