using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.Grains.Correlation;

/// <summary>Correlation tunables (configuration section "Correlation"): which edges link clusters and how strongly,
/// which node types never link, the over-correlation guard.</summary>
public sealed class CorrelationOptions
{
    public const string Section = "Correlation";

    /// <summary>None by default: the service reads nothing outside its own checkout at run time, and MISP's lists are
    /// not shipped with it. Point it at the <c>lists</c> folder of a MISP warninglists checkout; relative paths are tried
    /// against the working directory, then against each folder above the application.</summary>
    public const string DefaultWarninglistsPath = "";

    public const int DefaultMaxObservableDegree = 200;

    /// <summary>Edge kinds that link clusters, and the weight of each (0..1]: the strength of a linked-campaign path is
    /// the product of the weights of its edges. A kind not listed here does not link. Kept in step with the README table.</summary>
    public static readonly IReadOnlyDictionary<string, double> DefaultEdgeWeights = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["pattern-names"] = 1.0,       // indicator → the observable its pattern names
        ["alias-of"] = 1.0,            // SCO sent with a random id → its canonical observable
        ["duplicate-of"] = 1.0,
        ["sighting_of_ref"] = 0.9,     // sighting → the indicator/object sighted
        ["observed_data_refs"] = 0.9,  // sighting → observed-data
        ["object_refs"] = 0.9,         // observed-data → its observables (reports/groupings never link: container types)
        ["indicates"] = 0.9,
        ["attributed-to"] = 0.9,
        ["based-on"] = 0.8,
        ["derived-from"] = 0.8,
        ["part-of"] = 0.8,
        ["resolves_to_refs"] = 0.7,    // domain-name → address
        ["src_ref"] = 0.7,
        ["dst_ref"] = 0.7,
        ["communicates-with"] = 0.7,
        ["beacons-to"] = 0.7,
        ["exfiltrates-to"] = 0.7,
        ["uses"] = 0.6,
        ["related-to"] = 0.5,
        ["targets"] = 0.3,
    };

    /// <summary>Types that never carry a link: shared reference knowledge (techniques, mitigations, identities,
    /// locations, CVEs, ATT&amp;CK bookkeeping) and containers (a report groups what one producer saw).</summary>
    public static readonly IReadOnlyList<string> DefaultNonLinkingTypes =
    [
        "identity", "marking-definition", "extension-definition", "language-content", "location", "attack-pattern",
        "course-of-action", "vulnerability", "report", "grouping", "note", "opinion", "x-mitre-tactic", "x-mitre-matrix",
        "x-mitre-collection", "x-mitre-data-source", "x-mitre-data-component", "x-mitre-asset",
        "x-mitre-detection-strategy", "x-mitre-analytic",
    ];

    /// <summary>Folder of MISP warninglists (<c>*/list.json</c>), added to the built-in lists; empty: the built-in lists only.</summary>
    public string WarninglistsPath { get; set; } = DefaultWarninglistsPath;

    /// <summary>The lists that ship with the service (<see cref="BuiltinWarninglists"/>): special-purpose address ranges,
    /// reserved names, empty-file hashes, public resolvers.</summary>
    public bool BuiltinWarninglists { get; set; } = true;

    /// <summary>An observable with more linking edges than this stops linking (it stays queryable and says why).</summary>
    public int MaxObservableDegree { get; set; } = DefaultMaxObservableDegree;

    /// <summary>Overrides or additions to <see cref="DefaultEdgeWeights"/>; a weight of 0 removes a kind.</summary>
    public Dictionary<string, double> EdgeWeights { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Additions to <see cref="DefaultNonLinkingTypes"/>.</summary>
    public List<string> NonLinkingTypes { get; set; } = [];

    public IReadOnlyDictionary<string, double> EffectiveWeights()
    {
        var weights = new Dictionary<string, double>(DefaultEdgeWeights, StringComparer.Ordinal);
        foreach (var (k, w) in EdgeWeights)
        {
            if (w <= 0)
            {
                weights.Remove(k);
            }
            else
            {
                weights[k] = Math.Min(1.0, w);
            }
        }
        return weights;
    }

    /// <summary>Start-up validation; the message names the option.</summary>
    public IEnumerable<string> Validate()
    {
        if (MaxObservableDegree < 1)
        {
            yield return $"{Section}:MaxObservableDegree must be at least 1, got {MaxObservableDegree}";
        }
        foreach (var (k, w) in EdgeWeights)
        {
            if (double.IsNaN(w) || w > 1)
            {
                yield return $"{Section}:EdgeWeights:{k} must be between 0 and 1, got {w}";
            }
        }
    }
}

/// <summary>Which edges link, and how strongly: the options, resolved once.</summary>
public sealed class CorrelationPolicy
{
    readonly HashSet<string> _nonLinking;

    public CorrelationPolicy(CorrelationOptions options)
    {
        Weights = options.EffectiveWeights();
        _nonLinking = new HashSet<string>(CorrelationOptions.DefaultNonLinkingTypes.Concat(options.NonLinkingTypes), StringComparer.Ordinal);
        MaxObservableDegree = options.MaxObservableDegree;
    }

    public IReadOnlyDictionary<string, double> Weights { get; }
    public int MaxObservableDegree { get; }
    public IReadOnlyList<string> LinkingKinds => [.. Weights.Keys];

    public double Weight(string kind) => Weights.GetValueOrDefault(kind, 0);

    public bool IsLinkingType(string nodeId) => !_nonLinking.Contains(TypeOf(nodeId));

    public bool IsLinking(string kind, string sourceId, string targetId) =>
        Weights.ContainsKey(kind) && sourceId != targetId && IsLinkingType(sourceId) && IsLinkingType(targetId);

    public static string TypeOf(string id)
    {
        var sep = id.IndexOf("--", StringComparison.Ordinal);
        return sep > 0 ? id[..sep] : "";
    }

    /// <summary>Members the cluster grain keeps per cluster by kind (for campaigns, actors, incidents, severity).</summary>
    public static bool IsTagged(string id) => TypeOf(id) is "campaign" or "intrusion-set" or "threat-actor" or "incident";
}
