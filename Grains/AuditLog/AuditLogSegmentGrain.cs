using ThreatGraph.Contracts.Audit;
using ThreatGraph.Contracts;

namespace ThreatGraph.Grains.AuditLog;

[GenerateSerializer, Alias("tg.AuditLogSegmentState")]
public sealed class AuditLogSegmentState
{
    [Id(0)] public List<AuditRecord> Records { get; set; } = [];
}

/// <summary>A sealed segment of an audit log grain: written once, then only read.</summary>
public sealed class AuditLogSegmentGrain(
    [PersistentState("auditsegment", StorageNames.Graph)] IPersistentState<AuditLogSegmentState> state) : Grain, IAuditLogSegmentGrain
{
    public Task SealAsync(IReadOnlyList<AuditRecord> records)
    {
        state.State.Records = [.. records];
        return state.WriteStateAsync();
    }

    public Task<IReadOnlyList<AuditRecord>> GetAsync() => Task.FromResult<IReadOnlyList<AuditRecord>>(state.State.Records);
}
