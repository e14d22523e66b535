using GraphQL.Types;

namespace ThreatGraph.GraphApi.Schema.Types;

/// <summary>The <c>StixObject</c> interface: what every STIX object (and placeholder) answers.</summary>
public sealed class StixObjectInterface : InterfaceGraphType<StixNode>
{
    public StixObjectInterface()
    {
        Name = "StixObject";
        Description = "Any STIX 2.1 object in the graph, or a placeholder for one that is referenced but has not arrived.";
        // Same fields as every implementation declares (CommonFields), without resolvers: interfaces only declare.
        foreach (var f in new Template().Fields)
        {
            AddField(new FieldType { Name = f.Name, Type = f.Type, Description = f.Description, Arguments = f.Arguments });
        }
    }

    sealed class Template : ObjectGraphType<StixNode>
    {
        public Template() => CommonFields.AddTo(this);
    }
}
