using ThreatGraph.Contracts.Model;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Contracts.Traversal;

/// <summary>
/// Reads many node grains of one silo in one call: a traversal sends each silo the frontier nodes placed there (node
/// grains are placed by id) and gets back their edges or views, instead of one remote call per node. Keyed by
/// <c>slot + silos × i</c> so that a few of them share each silo's work. Answers for the caller in the RequestContext,
/// exactly as the node grains it calls.
/// </summary>
[Alias("tg.INodeReaderGrain")]
public interface INodeReaderGrain : IGrainWithIntegerKey
{
    /// <summary>Each node's page of edges (<see cref="INodeGrain.GetEdgesAsync"/>), in the order of <paramref name="ids"/>.</summary>
    [Alias("GetEdges")]
    Task<IReadOnlyList<EdgePage>> GetEdgesAsync(IReadOnlyList<string> ids, EdgeQuery query);

    /// <summary>Each node's view (<see cref="INodeGrain.GetViewAsync"/>; null where unknown or hidden), in order.</summary>
    [Alias("GetViews")]
    Task<IReadOnlyList<NodeView?>> GetViewsAsync(IReadOnlyList<string> ids);
}
