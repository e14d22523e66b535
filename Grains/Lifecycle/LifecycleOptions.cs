using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Lifecycle;

namespace ThreatGraph.Grains.Lifecycle;

/// <summary>Lifetime L (days) and speed δ of the polynomial decay of one kind of indicator.</summary>
public sealed class DecayRule
{
    public double LifetimeDays { get; set; }
    public double Speed { get; set; }
}

/// <summary>
/// Indicator lifecycle tunables (configuration section "Lifecycle"): the decay score(t) = s0 · (1 − (t/L)^(1/δ)) per
/// observable type of the indicator's pattern, the score below which an indicator stops counting, and how the expiry
/// schedule is bucketed. README "Lifecycle and severity".
/// </summary>
public sealed class LifecycleOptions
{
    public const string Section = "Lifecycle";
    public const string DefaultRule = "default";

    /// <summary>Defaults (ours, in the spirit of OpenCTI's built-in decay rules): addresses churn fastest, hashes last.</summary>
    public static readonly IReadOnlyDictionary<string, (double LifetimeDays, double Speed)> DefaultDecay =
        new Dictionary<string, (double, double)>(StringComparer.Ordinal)
        {
            ["ipv4-addr"] = (60, 1.0),
            ["ipv6-addr"] = (60, 1.0),
            ["domain-name"] = (180, 1.0),
            ["url"] = (180, 1.0),
            ["email-addr"] = (180, 1.0),
            ["file"] = (460, 0.35),
            [DefaultRule] = (365, 0.5),
        };

    public const double DefaultActiveThreshold = 20;
    public const double DefaultBaseScore = 100;
    public const int DefaultScheduleBucketMinutes = 60;
    public const int DefaultSchedulePartitions = 4;

    /// <summary>Overrides or additions to <see cref="DefaultDecay"/>, by observable type (or <c>default</c>).</summary>
    public Dictionary<string, DecayRule> Decay { get; set; } = new(StringComparer.Ordinal);

    /// <summary>An indicator whose score falls below this stops counting (decayed): it leaves correlation and
    /// <c>search(activeOnly: true)</c>.</summary>
    public double ActiveThreshold { get; set; } = DefaultActiveThreshold;

    /// <summary>s0 of an indicator without <c>confidence</c>.</summary>
    public double BaseScore { get; set; } = DefaultBaseScore;

    /// <summary>Expiries are grouped in buckets of this many minutes: one schedule grain (and one reminder) per bucket and
    /// partition, so an indicator leaves correlation at most this long after it decays or expires.</summary>
    public int ScheduleBucketMinutes { get; set; } = DefaultScheduleBucketMinutes;

    public int SchedulePartitions { get; set; } = DefaultSchedulePartitions;

    public (double LifetimeDays, double Speed) RuleFor(string? observableType)
    {
        foreach (var key in new[] { observableType ?? DefaultRule, DefaultRule })
        {
            if (Decay.TryGetValue(key, out var rule))
            {
                return (rule.LifetimeDays, rule.Speed);
            }
            if (DefaultDecay.TryGetValue(key, out var d))
            {
                return d;
            }
        }
        return DefaultDecay[DefaultRule];
    }

    /// <summary>Problems, each naming its setting (checked at start-up).</summary>
    public IEnumerable<string> Validate()
    {
        foreach (var (type, rule) in Decay)
        {
            if (!(rule.LifetimeDays > 0))
            {
                yield return $"{Section}:Decay:{type}:LifetimeDays must be more than 0, not {rule.LifetimeDays}";
            }
            if (!(rule.Speed > 0))
            {
                yield return $"{Section}:Decay:{type}:Speed must be more than 0, not {rule.Speed}";
            }
        }
        if (!(ActiveThreshold > 0 && ActiveThreshold < 100))
        {
            yield return $"{Section}:ActiveThreshold must be between 0 and 100 (exclusive), not {ActiveThreshold}";
        }
        if (!(BaseScore > 0 && BaseScore <= 100))
        {
            yield return $"{Section}:BaseScore must be from 1 to 100, not {BaseScore}";
        }
        if (ScheduleBucketMinutes is < 1 or > 1440)
        {
            yield return $"{Section}:ScheduleBucketMinutes must be from 1 to 1440, not {ScheduleBucketMinutes}";
        }
        if (SchedulePartitions is < 1 or > 256)
        {
            yield return $"{Section}:SchedulePartitions must be from 1 to 256, not {SchedulePartitions}";
        }
    }
}
