using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Index;
using ThreatGraph.Grains.Indexing;
using ThreatGraph.Contracts;

namespace ThreatGraph.Grains.Hosting;

/// <summary>
/// Refuses to start a silo whose <c>Index:Partitions</c> differs from the count the stored search index and alias
/// registry were written with (kept by <see cref="IIndexLayoutGrain"/>; the first silo to start on empty storage
/// records its own). Entries are placed by hash modulo the count, so another count would look for every entry in the
/// wrong partition: counts, search and alias lookups silently wrong. On the first start over data stored before
/// partitioning, moves that data into the partitions (<see cref="LegacyIndexMigration"/>). Runs when the silo becomes
/// active, before the host serves requests.
/// </summary>
public sealed class IndexLayoutCheck(IGrainFactory grains, IOptions<IndexOptions> options, ILogger<IndexLayoutCheck> log)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(IndexLayoutCheck), ServiceLifecycleStage.Active, CheckAsync);

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value.Partitions;
        var layout = grains.GetGrain<IIndexLayoutGrain>(IIndexLayoutGrain.Key);
        var stored = await layout.ClaimAsync(configured);
        if (stored.Partitions != configured)
        {
            throw new IndexLayoutException(Refusal(configured, stored.Partitions));
        }
        if (!stored.LegacyMigrated)
        {
            await LegacyIndexMigration.RunAsync(grains, log);
            await layout.MarkLegacyMigratedAsync();
        }
        log.LogInformation("Search index and alias registry: {Partitions} partitions ({Setting})", configured, IndexOptions.PartitionsKey);
    }

    public static string Refusal(int configured, int recorded) =>
        $"{IndexOptions.PartitionsKey} is {configured}, but the search index and alias registry in this storage were written "
        + $"with {recorded} partitions: start with {IndexOptions.PartitionsKey}={recorded} (changing the count of stored data "
        + "is not supported; it would look for entries in the wrong partitions)";
}

/// <summary>The configured index layout does not match the stored one (see <see cref="IndexLayoutCheck"/>).</summary>
public sealed class IndexLayoutException(string message) : Exception(message);
