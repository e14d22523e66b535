using System.Text.Json;
using ThreatGraph.Cli.Sample;

namespace ThreatGraph.Cli.Tests;

/// <summary>A temporary folder of bundle files for one test, deleted on dispose.</summary>
public sealed class SampleFiles : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("threatgraph-cli-").FullName;

    public string Jp => Path.Combine(Folder, "jp-nisc-report.json");
    public string Us => Path.Combine(Folder, "us-cisa-report.json");

    /// <summary>The README tour's two reports, as <c>threatgraph sample</c> writes them.</summary>
    public static SampleFiles Tour()
    {
        var files = new SampleFiles();
        foreach (var (name, bundle) in SampleScenario.Build())
        {
            files.Write(name, bundle.ToJsonString(new JsonSerializerOptions()));
        }
        return files;
    }

    public string Write(string name, string content)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
