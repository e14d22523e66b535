namespace ThreatGraph.Silo.Hosting;

/// <summary>
/// The silo only hosts: its former sub-commands live in the <c>threatgraph</c> tool (Cli/) and the correlation
/// benchmark in bench/Correlation. Someone typing an old command gets told where it went instead of a silo start.
/// </summary>
public static class MovedCommands
{
    /// <summary>Where the command <paramref name="name"/> went, or null when it is not a former sub-command.</summary>
    public static string? PointerFor(string name) => name switch
    {
        "ingest" or "sample" or "schema" =>
            $"'{name}' is no longer a command of the silo: it is in the threatgraph tool. Run: dotnet run --project Cli -- {name} --help",
        "bench-correlation" =>
            "'bench-correlation' is no longer a command of the silo: run bench/correlation.sh (bench/Correlation).",
        _ => null,
    };
}
