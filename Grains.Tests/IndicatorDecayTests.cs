using System.Text.Json.Nodes;
using ThreatGraph.Grains.Lifecycle;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Lifecycle;

namespace ThreatGraph.Grains.Tests;

/// <summary>The decay arithmetic (README "Lifecycle and severity") and the lifecycle settings' validation.</summary>
public sealed class IndicatorDecayTests
{
    static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    static JsonObject Indicator(string pattern, int? confidence = null)
    {
        var o = new JsonObject { ["type"] = "indicator", ["pattern"] = pattern, ["pattern_type"] = "stix", ["valid_from"] = "2025-01-01T00:00:00Z" };
        if (confidence is { } c)
        {
            o["confidence"] = c;
        }
        return o;
    }

    [Fact]
    public void An_address_decays_linearly_over_sixty_days_and_stops_counting_below_twenty()
    {
        var ip = Indicator("[ipv4-addr:value = '198.51.100.7']");
        var options = new LifecycleOptions();
        Assert.Equal(100, IndicatorDecay.Evaluate(ip, T0, T0, options).Score);
        Assert.Equal(50, IndicatorDecay.Evaluate(ip, T0, T0.AddDays(30), options).Score);
        var state = IndicatorDecay.Evaluate(ip, T0, T0.AddDays(47), options);
        Assert.Equal(T0.AddDays(48), state.DecayedAt); // 60 · (1 − 20/100)
        Assert.True(state.Active);
        Assert.False(IndicatorDecay.Evaluate(ip, T0, T0.AddDays(48), options).Active);
        Assert.Equal(0, IndicatorDecay.Evaluate(ip, T0, T0.AddDays(61), options).Score);
    }

    [Fact]
    public void A_hash_holds_its_score_long_then_drops_and_confidence_is_the_base()
    {
        var file = Indicator("[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']", confidence: 80);
        var options = new LifecycleOptions();
        // δ = 0.35: (t/L)^(1/0.35) is small for most of the lifetime.
        Assert.Equal(80 * (1 - Math.Pow(0.5, 1 / 0.35)), IndicatorDecay.Evaluate(file, T0, T0.AddDays(230), options).Score, 2);
        Assert.Equal(T0 + TimeSpan.FromDays(460) * Math.Pow(1 - (20.0 / 80), 0.35), IndicatorDecay.Evaluate(file, T0, T0, options).DecayedAt);
    }

    [Fact]
    public void Valid_until_ends_it_whatever_the_score()
    {
        var ip = Indicator("[ipv4-addr:value = '198.51.100.7']");
        ip["valid_until"] = "2026-01-02T00:00:00Z";
        var state = IndicatorDecay.Evaluate(ip, T0, T0.AddDays(1), new LifecycleOptions());
        Assert.False(state.Active);
        Assert.Equal(0, state.Score);
        Assert.Null(state.Due);
        Assert.Equal(T0.AddDays(1), IndicatorDecay.Evaluate(ip, T0, T0, new LifecycleOptions()).Due);
    }

    [Fact]
    public void Lifecycle_settings_out_of_range_name_their_key()
    {
        var options = new LifecycleOptions { ActiveThreshold = 0, ScheduleBucketMinutes = 0 };
        options.Decay["ipv4-addr"] = new DecayRule { LifetimeDays = 0, Speed = 1 };
        var errors = options.Validate().ToList();
        Assert.Contains("Lifecycle:Decay:ipv4-addr:LifetimeDays must be more than 0, not 0", errors);
        Assert.Contains(errors, e => e.StartsWith("Lifecycle:ActiveThreshold", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Lifecycle:ScheduleBucketMinutes", StringComparison.Ordinal));
        Assert.Empty(new LifecycleOptions().Validate());
    }
}
