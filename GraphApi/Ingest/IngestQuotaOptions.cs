using Microsoft.Extensions.Options;
using ThreatGraph.Stix;

namespace ThreatGraph.GraphApi.Ingest;

/// <summary>
/// Write limits of the gateway (configuration section "Ingest", shared with the ingest grain's own options, which read
/// <c>MaxObjectBytes</c> and <c>MaxObjectsPerRequest</c> too). They apply to REST <c>POST /api/bundles</c>, GraphQL
/// <c>ingestBundle</c> and TAXII <c>POST …/objects/</c>, before any work on the objects.
/// </summary>
public sealed class IngestQuotaOptions
{
    public const string Section = "Ingest";

    /// <summary>Largest object, in bytes of JSON as sent; a larger one is rejected with its path and the limit (the
    /// others of its bundle are kept).</summary>
    public int MaxObjectBytes { get; set; } = StixLimits.DefaultMaxObjectBytes;

    /// <summary>Most objects in one bundle or envelope; more → 413 for the whole request, nothing written.</summary>
    public int MaxObjectsPerRequest { get; set; } = StixLimits.DefaultMaxObjectsPerRequest;

    /// <summary>Bytes of bundles an organisation may send per minute (token bucket holding one minute's worth, refilled
    /// continuously); 64 MiB by default, twice Api:MaxBundleBytes. A request larger than the whole allowance can never fit
    /// and is answered 413.</summary>
    public long OrgBytesPerMinute { get; set; } = 64L * 1024 * 1024;

    /// <summary>A bundle goes to the ingest grain in calls of at most this many objects (in dependency order), so that no
    /// grain call is long whatever the bundle's size (README "Short turns"). At most <c>Ingest:MaxObjectsPerCall</c>.</summary>
    public int ObjectsPerCall { get; set; } = 500;

    /// <summary>And of about this many bytes of JSON. Bytes stand for the work a call brings: a report's
    /// <c>object_refs</c> are edges to mirror onto as many peers, one state write each, so 500 reports of 150 refs
    /// (~4 MB) took longer than the 15 s call timeout on Azurite. Smaller is not always better: every call rewrites
    /// the hot peers it touches (a supernode's last edge shard, up to 2,000 edges), so 128 KiB calls made Azurite the
    /// bottleneck (bench/README, "Scale-out on Azurite"); 512 KiB (~70 reports, ~10,000 edges) is the measured middle.</summary>
    public long BytesPerCall { get; set; } = 512L * 1024;

    /// <summary>Ingest calls this gateway has in flight at most, over all requests (0: one per core, as many as the
    /// silo's ingest workers). More requests wait here, before their call starts, so that a call's timeout never
    /// runs while it queues behind the others in the silo.</summary>
    public int CallsInFlight { get; set; }

    /// <summary>The ingest grain's own limit per call (validated against <see cref="ObjectsPerCall"/>).</summary>
    public int MaxObjectsPerCall { get; set; } = StixLimits.DefaultMaxObjectsPerCall;

    /// <summary>Objects an organisation may send per minute (same bucket rules); 60,000 by default, about what one
    /// silo ingests per minute on 2 cores (README, TAXII throughput: ≈1,000 objects/s).</summary>
    public int OrgObjectsPerMinute { get; set; } = 60_000;
}

/// <summary>Checks the limits at start-up, naming the setting that is wrong.</summary>
public sealed class IngestQuotaOptionsValidator : IValidateOptions<IngestQuotaOptions>
{
    public ValidateOptionsResult Validate(string? name, IngestQuotaOptions options)
    {
        var errors = new List<string>();
        if (options.MaxObjectBytes is < 1024)
        {
            errors.Add($"Ingest:MaxObjectBytes must be at least 1024 (bytes of JSON per object), not {options.MaxObjectBytes}");
        }
        if (options.MaxObjectsPerRequest is < 1)
        {
            errors.Add($"Ingest:MaxObjectsPerRequest must be at least 1, not {options.MaxObjectsPerRequest}");
        }
        if (options.ObjectsPerCall < 1 || options.ObjectsPerCall > options.MaxObjectsPerCall)
        {
            errors.Add($"Ingest:ObjectsPerCall must be between 1 and Ingest:MaxObjectsPerCall ({options.MaxObjectsPerCall}), not {options.ObjectsPerCall}");
        }
        if (options.CallsInFlight < 0)
        {
            errors.Add($"Ingest:CallsInFlight must be 0 (one per core) or more, not {options.CallsInFlight}");
        }
        if (options.BytesPerCall < 1024)
        {
            errors.Add($"Ingest:BytesPerCall must be at least 1024, not {options.BytesPerCall}");
        }
        if (options.OrgBytesPerMinute < 1024)
        {
            errors.Add($"Ingest:OrgBytesPerMinute must be at least 1024, not {options.OrgBytesPerMinute}");
        }
        if (options.OrgObjectsPerMinute < 1)
        {
            errors.Add($"Ingest:OrgObjectsPerMinute must be at least 1, not {options.OrgObjectsPerMinute}");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
