namespace ThreatGraph.Cli.Ingest;

/// <summary>An answer after which sending more files is pointless (unreachable server, refused key): ends the ingest.</summary>
public sealed class IngestStoppedException(string message, Exception? inner = null) : Exception(message, inner);
