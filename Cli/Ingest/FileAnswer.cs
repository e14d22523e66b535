namespace ThreatGraph.Cli.Ingest;

/// <summary>What the server answered for one file: its object counts, and why objects or the whole file were refused.</summary>
/// <param name="Sent">Objects in the bundle as the server counted them (0 when it refused the whole file).</param>
/// <param name="Accepted">Created, updated or unchanged.</param>
public sealed record FileAnswer(int Sent, int Accepted, int Rejected, IReadOnlyDictionary<string, int> Totals, IReadOnlyList<string> Problems);
