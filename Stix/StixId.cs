namespace ThreatGraph.Stix;

/// <summary>STIX identifiers: <c>type--UUID</c> (section 2.9).</summary>
public static class StixId
{
    public static bool IsValid(string id, string? expectedType = null)
    {
        var sep = id.IndexOf("--", StringComparison.Ordinal);
        if (sep <= 0)
        {
            return false;
        }
        var type = id[..sep];
        if (expectedType is not null && type != expectedType)
        {
            return false;
        }
        var uuid = id[(sep + 2)..];
        return uuid.Length == 36 && Guid.TryParseExact(uuid, "D", out _);
    }
}
