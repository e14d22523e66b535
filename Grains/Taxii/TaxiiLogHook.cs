using ThreatGraph.Grains.Model;
using ThreatGraph.Stix;

namespace ThreatGraph.Grains.Taxii;

/// <summary>
/// Called by ingest after each rank's index update: every object version that was created or updated goes into the
/// default TAXII collection's log, whatever path it came by (REST, GraphQL, TAXII POST).
/// </summary>
public static class TaxiiLogHook
{
    public static Task AppendAsync(IGrainFactory grains, IEnumerable<(StixObject Object, UpsertOutcome? Outcome)> applied)
    {
        var versions = applied
            .Where(a => a.Outcome is UpsertOutcome.Created or UpsertOutcome.Updated)
            .Select(a => ToAppend(a.Object))
            .ToList();
        return versions.Count == 0
            ? Task.CompletedTask
            : grains.GetGrain<ITaxiiCollectionLogGrain>(TaxiiCollections.DefaultId).AppendAsync(versions);
    }

    public static TaxiiLogAppend ToAppend(StixObject obj)
    {
        var version = obj.GetString("modified") ?? obj.GetString("created");
        return new TaxiiLogAppend(obj.Id, obj.Type, version, obj.VersionStamp, obj.SpecVersion,
            TaxiiCollections.ContentHash(obj.ToJsonString()));
    }
}
