using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.Grains.Taxii;

[GenerateSerializer, Alias("tg.TaxiiStatusState")]
public sealed class TaxiiStatusState
{
    [Id(0)] public TaxiiStatus? Status { get; set; }
}

/// <summary>The status resource of one TAXII POST objects request, kept in graph storage.</summary>
public sealed class TaxiiStatusGrain(
    [PersistentState("taxiistatus", StorageNames.Graph)] IPersistentState<TaxiiStatusState> state) : Grain, ITaxiiStatusGrain
{
    public async Task SetAsync(TaxiiStatus status)
    {
        state.State.Status = status;
        await state.WriteStateAsync();
    }

    public Task<TaxiiStatus?> GetAsync() => Task.FromResult(state.State.Status);
}
