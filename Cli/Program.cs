namespace ThreatGraph.Cli;

// A class in a namespace, not top-level statements: those would declare a global Program, which the tests that host
// the silo (global Program too) could not tell apart.
internal static class Program
{
    static Task<int> Main(string[] args) => ThreatGraphCommand.Parse(args).InvokeAsync();
}
