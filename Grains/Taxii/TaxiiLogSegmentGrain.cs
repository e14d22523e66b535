using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.Grains.Taxii;

/// <summary>A sealed, full segment of a collection log (key <c>{collection}/{n}</c>): written once, read on activation.</summary>
[Alias("tg.ITaxiiLogSegmentGrain")]
public interface ITaxiiLogSegmentGrain : IGrainWithStringKey
{
    [Alias("Seal")]
    Task SealAsync(IReadOnlyList<TaxiiLogEntry> entries);

    [Orleans.Concurrency.ReadOnly, Alias("Get")]
    Task<IReadOnlyList<TaxiiLogEntry>> GetAsync();

    public static string KeyOf(string collectionId, int segment) =>
        $"{collectionId}/{segment.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}

[GenerateSerializer, Alias("tg.TaxiiLogSegmentState")]
public sealed class TaxiiLogSegmentState
{
    [Id(0)] public List<TaxiiLogEntry> Entries { get; set; } = [];
}

public sealed class TaxiiLogSegmentGrain(
    [PersistentState("taxiisegment", StorageNames.Graph)] IPersistentState<TaxiiLogSegmentState> state) : Grain, ITaxiiLogSegmentGrain
{
    public Task SealAsync(IReadOnlyList<TaxiiLogEntry> entries)
    {
        state.State.Entries = [.. entries];
        return state.WriteStateAsync();
    }

    public Task<IReadOnlyList<TaxiiLogEntry>> GetAsync() => Task.FromResult<IReadOnlyList<TaxiiLogEntry>>(state.State.Entries);
}
