using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.GraphApi.Taxii;

/// <summary>TAXII status resources: what became of an add-objects request, for the organisation that sent it.</summary>
static class TaxiiStatusEndpoints
{
    internal static async Task<IResult> GetStatusAsync(string root, string status, IGrainFactory grains)
    {
        if (TaxiiEndpoints.Missing(root) is { } missing)
        {
            return missing;
        }
        var found = await grains.GetGrain<ITaxiiStatusGrain>(status).GetAsync();
        var caller = CallerContext.Current;
        // Another organisation's status names the ids it sent: it is theirs alone.
        if (found is null || (found.OwnerOrg != caller.Org && !caller.IsSystem))
        {
            return TaxiiResults.NotFound($"no status '{status}'");
        }
        return TaxiiResults.Json(w => WriteStatus(w, found));
    }

    internal static void WriteStatus(Utf8JsonWriter w, TaxiiStatus s)
    {
        w.WriteStartObject();
        w.WriteString("id", s.Id);
        w.WriteString("status", s.Status);
        w.WriteString("request_timestamp", TaxiiTimestamp.Format(s.RequestTimestamp));
        w.WriteNumber("total_count", s.TotalCount);
        w.WriteNumber("success_count", s.Successes.Count);
        Details(w, "successes", s.Successes);
        w.WriteNumber("failure_count", s.Failures.Count);
        Details(w, "failures", s.Failures);
        w.WriteNumber("pending_count", s.Pendings.Count);
        Details(w, "pendings", s.Pendings);
        w.WriteEndObject();
    }

    static void Details(Utf8JsonWriter w, string name, IReadOnlyList<TaxiiStatusDetail> details)
    {
        w.WriteStartArray(name);
        foreach (var d in details)
        {
            w.WriteStartObject();
            w.WriteString("id", d.Id);
            w.WriteString("version", d.Version);
            if (d.Message is { } m)
            {
                w.WriteString("message", m);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
