namespace ThreatGraph.Enrichment.Reference.Tests;

/// <summary>A folder of small data files for one test, deleted after it.</summary>
sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("refdata-test-").FullName;

    public void Write(string name, params string[] lines) => File.WriteAllLines(System.IO.Path.Combine(Path, name), lines);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
