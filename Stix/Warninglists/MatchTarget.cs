namespace ThreatGraph.Stix.Warninglists;

/// <summary>What part of an observable a list is matched against.</summary>
public enum MatchTarget { Ip, Domain, UrlHost, Hash }
