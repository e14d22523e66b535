namespace ThreatGraph.GraphApi.Schema.Types;

public sealed class IntrusionSetGraphType : StixObjectGraphType
{
    public IntrusionSetGraphType() : base("IntrusionSet", "intrusion-set: adversarial behaviour and resources with common properties, believed to be orchestrated by one organisation.", OfTypes("intrusion-set"))
    {
        StringListField("aliases", "aliases");
        StringField("firstSeen", "first_seen");
        StringField("lastSeen", "last_seen");
        StringListField("goals", "goals");
        StringField("primaryMotivation", "primary_motivation");
    }
}
