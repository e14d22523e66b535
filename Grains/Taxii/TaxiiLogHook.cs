using ThreatGraph.Stix;

namespace ThreatGraph.Grains.Taxii;

/// <summary>
/// Called by ingest after each rank's index update: every object version its node holds goes into the default TAXII
/// collection's log, whatever path it came by (REST, GraphQL, TAXII POST, federation). Versions already there are
/// ignored by the log, so re-sending heals a log write lost to a crash.
/// </summary>
public static class TaxiiLogHook
{
    public static Task AppendAsync(IGrainFactory grains, IEnumerable<StixObject> stored)
    {
        var versions = stored.Select(ToAppend).ToList();
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
