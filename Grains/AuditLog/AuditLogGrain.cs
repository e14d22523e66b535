using ThreatGraph.Grains.Audit;

namespace ThreatGraph.Grains.AuditLog;

[GenerateSerializer, Alias("tg.AuditLogState")]
public sealed class AuditLogState
{
    [Id(0)] public List<AuditRecord> Records { get; set; } = [];
}

/// <summary>Append-only audit records of one hour. Reading them is checked by the gateway (auditor role).</summary>
public sealed class AuditLogGrain([PersistentState("audit", StorageNames.Graph)] IPersistentState<AuditLogState> state)
    : Grain, IAuditLogGrain
{
    public async Task AppendAsync(IReadOnlyList<AuditRecord> records)
    {
        state.State.Records.AddRange(records);
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<AuditRecord>> ReadAsync() => Task.FromResult<IReadOnlyList<AuditRecord>>([.. state.State.Records]);
}
