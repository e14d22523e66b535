namespace ThreatGraph.GraphApi.Schema.Types;

public sealed class ThreatActorGraphType : StixObjectGraphType
{
    public ThreatActorGraphType() : base("ThreatActor", "threat-actor: individuals, groups or organisations believed to operate with malicious intent.", OfTypes("threat-actor"))
    {
        StringListField("aliases", "aliases");
        StringListField("threatActorTypes", "threat_actor_types");
        StringField("sophistication", "sophistication");
        StringField("firstSeen", "first_seen");
        StringField("lastSeen", "last_seen");
    }
}
