namespace ThreatGraph.Stix.Markings;

public enum TlpLevel { Clear, Green, Amber, AmberStrict, Red }

/// <summary>The five official TLP 2.0 marking-definition ids (OASIS cti-stix-common-objects).</summary>
public static class Tlp
{
    public const string ClearId = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
    public const string GreenId = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
    public const string AmberId = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
    public const string AmberStrictId = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003";
    public const string RedId = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";

    public static readonly IReadOnlyDictionary<string, TlpLevel> ById = new Dictionary<string, TlpLevel>
    {
        [ClearId] = TlpLevel.Clear,
        [GreenId] = TlpLevel.Green,
        [AmberId] = TlpLevel.Amber,
        [AmberStrictId] = TlpLevel.AmberStrict,
        [RedId] = TlpLevel.Red,
    };

    /// <summary>The most restrictive TLP level among the given marking refs, or null when none is TLP.</summary>
    public static TlpLevel? Strictest(IEnumerable<string> markingRefs)
    {
        TlpLevel? result = null;
        foreach (var r in markingRefs)
        {
            if (ById.TryGetValue(r, out var level) && (result is null || level > result))
            {
                result = level;
            }
        }
        return result;
    }
}
