namespace ThreatGraph.Silo.Cli;

/// <summary>Sub-commands of the Silo executable (<c>dotnet run --project Silo -- NAME ...</c>).</summary>
public static class Commands
{
    public static Func<string[], Task<int>>? Find(string name) => name switch
    {
        "ingest" => IngestCommand.RunAsync,
        "schema" => SchemaCommand.RunAsync,
        "sample" => SampleScenario.RunAsync,
        "bench-correlation" => CorrelationBenchCommand.RunAsync,
        "help" or "--help" or "-h" => Help,
        _ => null,
    };

    static Task<int> Help(string[] _)
    {
        Console.WriteLine("""
            ThreatGraph
              dotnet run --project Silo                      run silo + gateway on http://127.0.0.1:5080 (in-memory storage)
              dotnet run --project Silo -- ingest --key API_KEY [--url URL] PATH...
                                                             send STIX bundles (files or folders of .json/.stix2) to a running server
              dotnet run --project Silo -- schema            print the GraphQL schema (SDL)
              dotnet run --project Silo -- sample [DIR]      write the seeded two-government sample scenario (default: sample-data/)
              dotnet run --project Silo -- bench-correlation [--url URL] [--notifications N] [--nodes N]
                                                             correlation numbers against a running server (see bench/README.md)
            """);
        return Task.FromResult(0);
    }
}
