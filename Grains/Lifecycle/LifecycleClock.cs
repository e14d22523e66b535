using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Lifecycle;

namespace ThreatGraph.Grains.Lifecycle;

/// <summary>The clock of indicator decay and expiry. Its own service so that tests can run it on a FakeTimeProvider
/// (days in milliseconds) while Orleans keeps real time for its messages, timers and streams.</summary>
public sealed record LifecycleClock(TimeProvider Time);
