using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Contracts.Model;
using ThreatGraph.GraphApi.Schema.Types;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Contracts.Traversal;

namespace ThreatGraph.GraphApi.Schema;

/// <summary>
/// The sectors an object (campaign, incident, intrusion set …) targets, as the caller sees them: the <c>sectors</c> of the
/// identities it has a <c>targets</c> relationship to. Read through the caller-filtered edge read and the caller's node
/// loader, so a relationship or identity the caller may not see names no sector.
/// </summary>
public static class TargetedSectors
{
    /// <summary>Most <c>targets</c> edges of one object read for its sectors.</summary>
    public const int MaxTargets = 500;

    public static async Task<IReadOnlyList<string>> OfAsync(IResolveFieldContext c, string id)
    {
        var grains = c.RequestServices!.GetRequiredService<IGrainFactory>();
        var page = await grains.GetGrain<ITraversalGrain>(0).ReadEdgesAsync(id, new EdgeQuery(EdgeDirection.Out, ["targets"], false, 0, MaxTargets));
        var loader = CommonFields.Loader(c);
        var identities = page.Items.Select(e => e.PeerId).Where(p => p.StartsWith("identity--", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal);
        var nodes = await Task.WhenAll(identities.Select(p => loader.LoadNowAsync(p, c.CancellationToken)));
        return [.. nodes.OfType<StixNode>().Where(n => n.View.Revoked is false).SelectMany(n => n.Strings("sectors")).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>A sector named in a filter: a token of industry-sector-ov's form (lower case, digits, '-'), so a typo is an
    /// error rather than an empty answer.</summary>
    public static string Argument(string value)
    {
        var sector = value.Trim();
        if (sector.Length is 0 or > 100 || sector.Any(ch => !(ch is >= 'a' and <= 'z' or >= '0' and <= '9' or '-')))
        {
            throw new ExecutionError($"filter.sector: '{value}' is not a sector (lower-case words joined by '-', as in STIX's industry-sector-ov: energy, water, healthcare …)")
            { Code = "BAD_ARGUMENT" };
        }
        return sector;
    }
}
