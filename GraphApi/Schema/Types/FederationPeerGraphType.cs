using GraphQL.Types;
using ThreatGraph.Contracts.Federation;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.GraphApi.Schema.Types;

public sealed class FederationPeerGraphType : ObjectGraphType<FederationPeerStatus>
{
    public FederationPeerGraphType()
    {
        Name = "FederationPeer";
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Peer);
        Field<StringGraphType>("lastSync").Description("When a poll last succeeded (null: never).").Resolve(c => Format(c.Source.LastSync));
        Field<FloatGraphType>("lag").Description("Seconds from the last applied object's date_added on the peer to its arrival here.")
            .Resolve(c => c.Source.LagSeconds);
        Field<NonNullGraphType<BooleanGraphType>>("caughtUp").Description("Whether the last poll reached the end of the peer's collection.")
            .Resolve(c => c.Source.CaughtUp);
        Field<StringGraphType>("checkpoint").Description("The peer's date_added up to which everything has been applied.")
            .Resolve(c => Format(c.Source.Checkpoint));
        Field<NonNullGraphType<IntGraphType>>("errors").Description("Failed polls since this deployment first pulled from the peer.")
            .Resolve(c => (int)Math.Min(int.MaxValue, c.Source.Errors));
        Field<NonNullGraphType<IntGraphType>>("consecutiveErrors").Resolve(c => c.Source.ConsecutiveErrors);
        Field<StringGraphType>("lastError").Description("The last failed poll or refused object, with what went wrong.").Resolve(c => c.Source.LastError);
        Field<StringGraphType>("lastErrorAt").Resolve(c => Format(c.Source.LastErrorAt));
        Field<StringGraphType>("retryAt").Description("While polls fail: when the next attempt is made (the wait doubles with each failure in a row, up to 5 minutes).")
            .Resolve(c => Format(c.Source.RetryAt));
        Field<NonNullGraphType<IntGraphType>>("applied").Description("Object versions new here.").Resolve(c => Count(c.Source.Applied));
        Field<NonNullGraphType<IntGraphType>>("unchanged").Description("Object versions already here (replays, echoes).").Resolve(c => Count(c.Source.Unchanged));
        Field<NonNullGraphType<IntGraphType>>("refused").Description("Objects not taken (marking, reporter, or invalid).").Resolve(c => Count(c.Source.Refused));
    }

    static int Count(long n) => (int)Math.Min(int.MaxValue, n);

    static string? Format(DateTimeOffset? t) => t is { } v ? TaxiiTimestamp.Format(v) : null;
}
