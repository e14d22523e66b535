namespace ThreatGraph.GraphApi.Schema.Types;

public sealed class IdentityGraphType : StixObjectGraphType
{
    public IdentityGraphType() : base("Identity", "identity: an individual, organisation or group (e.g. the producer of a report).", OfTypes("identity"))
    {
        StringField("identityClass", "identity_class");
        StringListField("sectors", "sectors");
    }
}
