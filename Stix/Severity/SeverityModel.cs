namespace ThreatGraph.Stix.Severity;

/// <summary>
/// How an incident's factors become a score (0–100) and an NCISS level. Ours, documented in the README ("Lifecycle and
/// severity"): score = 100 × Σ weight(factor) × score(value) / Σ weights, over all eight factors (a factor not given
/// scores 0: unknown never raises severity); the level is the highest whose threshold the score reaches. An incident
/// determined a false positive is Baseline whatever its factors.
/// </summary>
public sealed record SeverityModel(IReadOnlyDictionary<string, double> Weights, IReadOnlyList<double> Thresholds)
{
    /// <summary>Default weights (sum 1): impact on functions and information and how hard recovery is weigh most.</summary>
    public static readonly IReadOnlyDictionary<string, double> DefaultWeights = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        [SeverityFactors.FunctionalImpact] = 0.20,
        [SeverityFactors.InformationImpact] = 0.15,
        [SeverityFactors.Recoverability] = 0.10,
        [SeverityFactors.ObservedActivity] = 0.15,
        [SeverityFactors.Location] = 0.10,
        [SeverityFactors.ActorCharacterization] = 0.10,
        [SeverityFactors.CrossSectorDependency] = 0.10,
        [SeverityFactors.PotentialImpact] = 0.10,
    };

    /// <summary>Lowest score of Low, Medium, High, Severe, Emergency (below the first: Baseline).</summary>
    public static readonly IReadOnlyList<double> DefaultThresholds = [15, 35, 55, 70, 85];

    public static readonly SeverityModel Default = new(DefaultWeights, DefaultThresholds);

    public double Score(IReadOnlyDictionary<string, string> factors)
    {
        double total = 0, sum = 0;
        foreach (var factor in SeverityFactors.All)
        {
            var weight = Weights.GetValueOrDefault(factor);
            total += weight;
            if (factors.TryGetValue(factor, out var value) && SeverityFactors.Vocabulary[factor].TryGetValue(value, out var s))
            {
                sum += weight * s;
            }
        }
        return total <= 0 ? 0 : Math.Round(100 * sum / total, 1);
    }

    public NcissLevel LevelOf(double score)
    {
        var level = NcissLevel.Baseline;
        for (var i = 0; i < Thresholds.Count && i < 5; i++)
        {
            if (score >= Thresholds[i])
            {
                level = (NcissLevel)(i + 1);
            }
        }
        return level;
    }

    /// <summary>The computed severity of an incident's factors (see <see cref="IncidentSeverityReader"/>).</summary>
    public (double Score, NcissLevel Level) Compute(IncidentFactors incident)
    {
        if (incident.FalsePositive)
        {
            return (0, NcissLevel.Baseline);
        }
        var score = Score(incident.Values);
        return (score, LevelOf(score));
    }

    /// <summary>Problems with a configured model, each naming the setting (checked at start-up).</summary>
    public IEnumerable<string> Validate(string section)
    {
        foreach (var (factor, weight) in Weights)
        {
            if (!SeverityFactors.Vocabulary.ContainsKey(factor))
            {
                yield return $"{section}:Weights:{factor}: not a severity factor (one of {string.Join(", ", SeverityFactors.All)})";
            }
            else if (!(weight >= 0 && weight <= 1))
            {
                yield return $"{section}:Weights:{factor}: a weight must be from 0 to 1, not {weight}";
            }
        }
        if (SeverityFactors.All.Sum(f => Weights.GetValueOrDefault(f)) <= 0)
        {
            yield return $"{section}:Weights: at least one factor must weigh more than 0";
        }
        if (Thresholds.Count != 5)
        {
            yield return $"{section}:Thresholds: five thresholds (Low, Medium, High, Severe, Emergency) are needed, not {Thresholds.Count}";
        }
        for (var i = 0; i < Thresholds.Count; i++)
        {
            if (!(Thresholds[i] > 0 && Thresholds[i] <= 100) || (i > 0 && Thresholds[i] <= Thresholds[i - 1]))
            {
                yield return $"{section}:Thresholds:{i}: thresholds must rise strictly within (0, 100], not {Thresholds[i]}";
            }
        }
    }
}
