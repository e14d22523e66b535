using ThreatGraph.GraphApi.Schema.Types;

namespace ThreatGraph.GraphApi.Schema;

public sealed class ThreatGraphSchema : GraphQL.Types.Schema
{
    public ThreatGraphSchema(IServiceProvider services, ThreatGraphQuery query, ThreatGraphMutation mutation, ThreatGraphSubscription subscription)
        : base(services)
    {
        Query = query;
        Mutation = mutation;
        Subscription = subscription;
        // Implementations of the StixObject interface are reached only through it: register them explicitly.
        RegisterType(typeof(IndicatorGraphType));
        RegisterType(typeof(CampaignGraphType));
        RegisterType(typeof(IntrusionSetGraphType));
        RegisterType(typeof(ThreatActorGraphType));
        RegisterType(typeof(MalwareGraphType));
        RegisterType(typeof(IncidentGraphType));
        RegisterType(typeof(IdentityGraphType));
        RegisterType(typeof(RelationshipGraphType));
        RegisterType(typeof(SightingGraphType));
        RegisterType(typeof(ReportGraphType));
        RegisterType(typeof(ObservableGraphType));
        RegisterType(typeof(GenericStixObjectGraphType));
        RegisterType(typeof(PlaceholderGraphType));
    }
}
