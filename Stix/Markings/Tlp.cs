namespace ThreatGraph.Stix.Markings;

public enum TlpLevel { Clear, Green, Amber, AmberStrict, Red }

/// <summary>The five official TLP 2.0 marking-definition ids (OASIS cti-stix-common-objects), and the four TLP 1.0 ids
/// that STIX 2.1 section 7.2.1.4 fixes, mapped to their TLP 2.0 equivalents (WHITE is CLEAR).</summary>
public static class Tlp
{
    public const string ClearId = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
    public const string GreenId = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
    public const string AmberId = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
    public const string AmberStrictId = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003";
    public const string RedId = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";

    public const string Tlp1WhiteId = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";
    public const string Tlp1GreenId = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
    public const string Tlp1AmberId = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
    public const string Tlp1RedId = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";

    /// <summary>The TLP 2.0 marking-definition ids.</summary>
    public static readonly IReadOnlyDictionary<string, TlpLevel> ById = new Dictionary<string, TlpLevel>
    {
        [ClearId] = TlpLevel.Clear,
        [GreenId] = TlpLevel.Green,
        [AmberId] = TlpLevel.Amber,
        [AmberStrictId] = TlpLevel.AmberStrict,
        [RedId] = TlpLevel.Red,
    };

    /// <summary>Every marking-definition id the service reads as a TLP level: TLP 2.0 and TLP 1.0.</summary>
    public static readonly IReadOnlyDictionary<string, TlpLevel> AnyVersionById = new Dictionary<string, TlpLevel>(ById)
    {
        [Tlp1WhiteId] = TlpLevel.Clear,
        [Tlp1GreenId] = TlpLevel.Green,
        [Tlp1AmberId] = TlpLevel.Amber,
        [Tlp1RedId] = TlpLevel.Red,
    };

    /// <summary>The most restrictive TLP level among the given marking refs (TLP 2.0 or 1.0), or null when none is TLP.
    /// Other markings are ignored here: <see cref="MarkingInterpreter"/> decides what they mean for access.</summary>
    public static TlpLevel? Strictest(IEnumerable<string> markingRefs)
    {
        TlpLevel? result = null;
        foreach (var r in markingRefs)
        {
            if (AnyVersionById.TryGetValue(r, out var level) && (result is null || level > result))
            {
                result = level;
            }
        }
        return result;
    }
}
