using System.CommandLine;
using System.Text.Json;

namespace ThreatGraph.Cli.Sample;

/// <summary><c>threatgraph sample [DIR]</c>: writes the README tour's two seeded reports (same bytes every time).</summary>
public static class SampleCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("DIR")
        {
            Description = "Folder to write jp-nisc-report.json and us-cisa-report.json into (created if missing).",
            DefaultValueFactory = _ => new DirectoryInfo("sample-data"),
        };
        var command = new Command("sample", "Write the seeded two-government sample scenario (JP NISC and US CISA reports sharing a C2 address and a domain).")
        {
            folder,
        };
        command.SetAction(result => Write(result.GetRequiredValue(folder), result.InvocationConfiguration.Output));
        return command;
    }

    static int Write(DirectoryInfo folder, TextWriter output)
    {
        folder.Create();
        var options = new JsonSerializerOptions { WriteIndented = true };
        foreach (var (name, bundle) in SampleScenario.Build())
        {
            var path = Path.Combine(folder.FullName, name);
            File.WriteAllText(path, bundle.ToJsonString(options) + "\n");
            output.WriteLine($"wrote {path} ({bundle["objects"]!.AsArray().Count} objects)");
        }
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, folder.FullName);
        output.WriteLine($"next: dotnet run --project Cli -- ingest --key jp-analyst-dev-key {Path.Combine(relative, "jp-nisc-report.json")}");
        output.WriteLine($"      dotnet run --project Cli -- ingest --key us-analyst-dev-key {Path.Combine(relative, "us-cisa-report.json")}");
        return 0;
    }
}
