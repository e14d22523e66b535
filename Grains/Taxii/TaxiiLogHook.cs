using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ThreatGraph.Stix;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.Grains.Taxii;

/// <summary>
/// Called by ingest after each rank's index update: every object version its node holds goes into the default TAXII
/// collection's log, whatever path it came by (REST, GraphQL, TAXII POST, federation), one call per partition it
/// touches. Versions already there are ignored by the log, so re-sending heals a log write lost to a crash.
/// </summary>
public static class TaxiiLogHook
{
    /// <summary>For a silo without the registration (test clusters): the default layout.</summary>
    static readonly Lazy<TaxiiLogWriter> DefaultWriter = new(() => new TaxiiLogWriter(Options.Create(new TaxiiLogOptions()), TimeProvider.System));

    public static Task AppendAsync(IServiceProvider services, IGrainFactory grains, IEnumerable<StixObject> stored)
    {
        var versions = stored.Select(ToAppend).ToList();
        var writer = services.GetService<TaxiiLogWriter>() ?? DefaultWriter.Value;
        return writer.AppendAsync(grains, TaxiiCollections.DefaultId, versions);
    }

    public static TaxiiLogAppend ToAppend(StixObject obj)
    {
        var version = obj.GetString("modified") ?? obj.GetString("created");
        return new TaxiiLogAppend(obj.Id, obj.Type, version, obj.VersionStamp, obj.SpecVersion,
            TaxiiCollections.ContentHash(obj.ToJsonString()));
    }
}
