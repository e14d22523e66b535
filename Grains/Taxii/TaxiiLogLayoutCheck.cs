using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.Grains.Taxii;

/// <summary>The TAXII log was written with another partition count than this silo is configured with.</summary>
public sealed class TaxiiLogLayoutException(string message) : Exception(message);

/// <summary>
/// At silo start-up (once the silo is active, before the gateway listens): records <c>Taxii:LogPartitions</c> as the
/// collection log's layout, or checks that it is the recorded one and stops the start-up with a message naming the
/// setting when it is not — a silo appending to or reading another set of partitions than the others would make
/// objects silently missing. The first start-up after an upgrade from the single log moves it into the partitions.
/// </summary>
public sealed class TaxiiLogLayoutCheck(IGrainFactory grains, IOptions<TaxiiLogOptions> options, ILogger<TaxiiLogLayoutCheck> log)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(TaxiiLogLayoutCheck), ServiceLifecycleStage.Active, CheckAsync);

    async Task CheckAsync(CancellationToken cancel)
    {
        var partitions = options.Value.LogPartitions;
        var layout = await grains.GetGrain<ITaxiiCollectionLogGrain>(TaxiiCollections.DefaultId).EnsureLayoutAsync(partitions);
        if (layout.Error is { } error)
        {
            log.LogCritical("ThreatGraph cannot start: {Error}", error);
            throw new TaxiiLogLayoutException(error);
        }
        log.LogInformation("TAXII log: {Partitions} partitions{Migrated}", partitions,
            layout.Migrated > 0 ? $", {layout.Migrated} entries moved from the single log" : "");
    }
}
