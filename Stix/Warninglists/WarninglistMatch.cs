namespace ThreatGraph.Stix.Warninglists;

/// <summary>An observable found on <see cref="List"/> through <see cref="Entry"/> (the value, parent domain or range
/// that matched).</summary>
public sealed record WarninglistMatch(Warninglist List, string Entry)
{
    /// <summary>The reason the correlation guard records, e.g. <c>warninglist builtin-public-dns-resolvers (…): 8.8.8.8</c>.</summary>
    public string Reason => $"warninglist {List.Key} ({List.Name}): {Entry}";
}
