namespace ThreatGraph.Stix.Validation;

/// <summary>What the validator treats an object as; custom and extension-defined types are placed by their extensions.</summary>
public enum ObjectCategory
{
    /// <summary>STIX Domain Object: one of the 19 of STIX 2.1, a custom object type, or an extension-defined new-sdo.</summary>
    Sdo,
    /// <summary>relationship, sighting, or an extension-defined new-sro.</summary>
    Sro,
    /// <summary>STIX Cyber-observable Object, or an extension-defined new-sco.</summary>
    Sco,
    /// <summary>marking-definition.</summary>
    MarkingDefinition,
    /// <summary>language-content.</summary>
    LanguageContent,
    /// <summary>extension-definition.</summary>
    ExtensionDefinition,
}
