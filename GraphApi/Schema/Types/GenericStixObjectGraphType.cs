namespace ThreatGraph.GraphApi.Schema.Types;

public sealed class GenericStixObjectGraphType : StixObjectGraphType
{
    static readonly HashSet<string> Typed = ["indicator", "campaign", "intrusion-set", "threat-actor", "malware", "incident",
        "identity", "relationship", "sighting", "report"];

    public GenericStixObjectGraphType() : base("GenericStixObject",
        "Any other STIX type (attack-pattern, tool, vulnerability, course-of-action, marking-definition…) and custom types such as x-mitre-tactic; read its fields from `stix`.",
        n => !n.IsPlaceholder && !Typed.Contains(n.Type) && !Arguments.IsObservable(n.Type))
    {
    }
}
