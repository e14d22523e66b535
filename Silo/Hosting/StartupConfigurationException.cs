namespace ThreatGraph.Silo.Hosting;

/// <summary>The configuration cannot work; the message names the key and what to do. Thrown before Orleans starts.</summary>
public sealed class StartupConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
