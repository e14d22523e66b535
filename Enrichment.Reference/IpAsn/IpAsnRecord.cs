namespace ThreatGraph.Enrichment.Reference.IpAsn;

/// <summary>What the shipped data says of one address: the AS that announces it (number and organisation name; either
/// may be missing), and the ISO 3166-1 alpha-2 code of the country its range is registered to (null when none is listed).</summary>
public sealed record IpAsnRecord(long? AsNumber, string? AsName, string? CountryCode);
