namespace ThreatGraph.Cli.Ingest;

/// <summary>
/// Progress of a long ingest: on a terminal one line redrawn after each file (a bar, files, objects sent / accepted /
/// rejected); otherwise (a log, a pipe) one line per file.
/// </summary>
public sealed class IngestProgress(TextWriter output, int totalFiles, bool interactive)
{
    const int BarWidth = 30;

    public void Report(IngestTally tally, string file)
    {
        var counts = $"{tally.Files}/{totalFiles} files, {tally.Sent} objects sent, {tally.Accepted} accepted, {tally.Rejected} rejected";
        if (!interactive)
        {
            output.WriteLine($"{counts}  ({Path.GetFileName(file)})");
            return;
        }
        var filled = tally.Files * BarWidth / Math.Max(totalFiles, 1);
        var line = $"\r[{new string('#', filled)}{new string('.', BarWidth - filled)}] {counts}";
        output.Write(line.Length > 120 ? line[..120] : line.PadRight(120));
    }

    /// <summary>Ends the redrawn line, so that what follows starts on a line of its own.</summary>
    public void Done(IngestTally tally)
    {
        if (interactive && tally.Files > 0)
        {
            output.WriteLine();
        }
    }
}
