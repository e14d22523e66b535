namespace ThreatGraph.Contracts.Nodes;

// One interface per grain class: Orleans picks the implementation from the interface. Indicator, observable and
// incident behave differently; campaign, threat-actor and the rest share NodeGrain's behaviour and stay separate grain
// types only because stored state and reminders are keyed by grain type. NodeGrains.GetNode maps a STIX id to the right one.

/// <summary>indicator: knows its pattern's observables and validity window, decays and expires.</summary>
[Alias("tg.IIndicatorGrain")]
public interface IIndicatorGrain : INodeGrain
{
    /// <summary>At its due time: whether it stopped counting (expired, decayed), and when to look again.</summary>
    [Alias("CheckLifecycle")]
    Task<Lifecycle.LifecycleStep> CheckAsync();

    /// <summary>After a new version (already applied; no sightings) or new sightings (the access of each): its age starts
    /// again, if a sighting may revive it; the links to re-send when it had stopped counting, and when it is next due.</summary>
    [Alias("Revive")]
    Task<Lifecycle.LifecycleStep> ReviveAsync(IReadOnlyList<Security.AccessDescriptor> sightings);
}

/// <summary>Cyber-observable objects (SCOs): the correlation hubs where reports from different producers meet; one
/// report per organisation, and a cap on linking edges.</summary>
[Alias("tg.IObservableGrain")]
public interface IObservableGrain : INodeGrain;

/// <summary>incident: also keeps analysts' severity overrides.</summary>
[Alias("tg.IIncidentGrain")]
public interface IIncidentGrain : INodeGrain
{
    /// <summary>Sets (level 0–5) or clears (null) the severity override of the incident, with a reason, as the caller in
    /// the RequestContext: an analyst of the organisation that reported it (README "Lifecycle and severity").</summary>
    [Alias("SetSeverity")]
    Task<Severity.SeverityOverrideResult> SetSeverityAsync(int? level, string reason);
}

/// <summary>campaign (no behaviour of its own).</summary>
[Alias("tg.ICampaignGrain")]
public interface ICampaignGrain : INodeGrain;

/// <summary>threat-actor and intrusion-set (no behaviour of their own).</summary>
[Alias("tg.IThreatActorGrain")]
public interface IThreatActorGrain : INodeGrain;

/// <summary>Every other type, custom ones included (malware, tool, identity, report, relationship, sighting, x-mitre-…).</summary>
[Alias("tg.IStixObjectGrain")]
public interface IStixObjectGrain : INodeGrain;
