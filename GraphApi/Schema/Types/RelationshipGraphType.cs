namespace ThreatGraph.GraphApi.Schema.Types;

public sealed class RelationshipGraphType : StixObjectGraphType
{
    public RelationshipGraphType() : base("Relationship", "relationship: a typed link between two objects (an SRO).", OfTypes("relationship"))
    {
        StringField("relationshipType", "relationship_type");
        StringField("sourceRef", "source_ref");
        StringField("targetRef", "target_ref");
        ObjectField("source", "source_ref", "The source object.");
        ObjectField("target", "target_ref", "The target object.");
        StringField("startTime", "start_time");
        StringField("stopTime", "stop_time");
    }
}
