using ThreatGraph.Contracts.Enrichment;

namespace ThreatGraph.Enrichment.Hosting;

/// <summary>Who the jobs run as and how (configuration section "Enrichment"), validated at start with messages that
/// name the key.</summary>
public sealed class EnrichmentOptions
{
    public const string Section = "Enrichment";

    /// <summary>The organisation the jobs belong to (a <c>Community:Organisations</c> id of the cluster).</summary>
    public string Org { get; set; } = "";

    /// <summary>The member the jobs run as, e.g. <c>jp-nisc/enrichment</c>: the reporter of what they write.</summary>
    public string Member { get; set; } = "";

    /// <summary>Must hold <c>enrichment</c>; the cluster refuses a job's writes without it.</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>The STIX identity written as <c>created_by_ref</c>: one of the organisation's <c>IdentityIds</c>.</summary>
    public string IdentityId { get; set; } = "";

    /// <summary>Jobs to run (empty: every registered job).</summary>
    public List<string> Jobs { get; set; } = [];

    /// <summary>Objects enriched at once, per job.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>How long one object's enrichment may take before it counts as hung (and failed).</summary>
    public double TimeoutSeconds { get; set; } = 30;

    /// <summary>Attempts per object when the enricher throws, hangs or the cluster fails; the wait doubles each time.</summary>
    public int MaxAttempts { get; set; } = 3;

    public double RetryDelaySeconds { get; set; } = 0.5;

    /// <summary>How often the change feed and on-demand requests are polled.</summary>
    public double PollSeconds { get; set; } = 2;

    /// <summary>Objects per pass (one checkpoint write each).</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Every job re-enriches everything of its types this often (0: never; the change feed still runs).</summary>
    public double ScheduleMinutes { get; set; }

    public IEnumerable<string> Validate()
    {
        if (Org.Length == 0)
        {
            yield return $"{Section}:{nameof(Org)} must name the organisation the jobs belong to";
        }
        if (!Member.StartsWith(Org + "/", StringComparison.Ordinal) || Member.Length <= Org.Length + 1)
        {
            yield return $"{Section}:{nameof(Member)} must be a member of {Section}:{nameof(Org)} ('{Org}/<name>'), not '{Member}'";
        }
        if (!Roles.Contains(EnrichmentJobs.Role))
        {
            yield return $"{Section}:{nameof(Roles)} must include '{EnrichmentJobs.Role}': a job runs only as a member with that role";
        }
        if (!IdentityId.StartsWith("identity--", StringComparison.Ordinal))
        {
            yield return $"{Section}:{nameof(IdentityId)} must be the organisation's STIX identity id (identity--…), not '{IdentityId}'";
        }
        if (MaxConcurrency is < 1 or > 256)
        {
            yield return $"{Section}:{nameof(MaxConcurrency)} must be between 1 and 256, not {MaxConcurrency}";
        }
        if (TimeoutSeconds is <= 0 or > 3600)
        {
            yield return $"{Section}:{nameof(TimeoutSeconds)} must be above 0 and at most 3600, not {TimeoutSeconds}";
        }
        if (MaxAttempts is < 1 or > 20)
        {
            yield return $"{Section}:{nameof(MaxAttempts)} must be between 1 and 20, not {MaxAttempts}";
        }
        if (RetryDelaySeconds is < 0 or > 600)
        {
            yield return $"{Section}:{nameof(RetryDelaySeconds)} must be between 0 and 600, not {RetryDelaySeconds}";
        }
        if (PollSeconds is <= 0 or > 3600)
        {
            yield return $"{Section}:{nameof(PollSeconds)} must be above 0 and at most 3600, not {PollSeconds}";
        }
        if (BatchSize is < 1 or > 5000)
        {
            yield return $"{Section}:{nameof(BatchSize)} must be between 1 and 5000, not {BatchSize}";
        }
        if (ScheduleMinutes < 0)
        {
            yield return $"{Section}:{nameof(ScheduleMinutes)} must be 0 (off) or more, not {ScheduleMinutes}";
        }
    }
}
