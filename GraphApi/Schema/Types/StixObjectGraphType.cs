using GraphQL.Types;

namespace ThreatGraph.GraphApi.Schema.Types;

/// <summary>Base of the concrete StixObject types: the common fields, the interface, and which nodes it stands for.</summary>
public abstract class StixObjectGraphType : ObjectGraphType<StixNode>
{
    protected StixObjectGraphType(string name, string description, Func<StixNode, bool> isTypeOf)
    {
        Name = name;
        Description = description;
        Interface<StixObjectInterface>();
        IsTypeOf = o => o is StixNode n && isTypeOf(n);
        CommonFields.AddTo(this);
    }

    protected static Func<StixNode, bool> OfTypes(params string[] types) => n => !n.IsPlaceholder && types.Contains(n.Type);

    protected void StringField(string name, string property) =>
        Field<StringGraphType>(name).Resolve(c => c.Source.String(property));

    protected void StringListField(string name, string property) =>
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>(name).Resolve(c => c.Source.Strings(property));

    protected void ObjectField(string name, string refProperty, string description) =>
        Field<StixObjectInterface>(name).Description(description)
            .Resolve(c => c.Source.String(refProperty) is { } id ? CommonFields.Loader(c).Load(id) : null);
}
