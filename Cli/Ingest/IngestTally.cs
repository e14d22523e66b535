namespace ThreatGraph.Cli.Ingest;

/// <summary>Running totals over the files sent so far, and every problem the server reported.</summary>
public sealed class IngestTally
{
    readonly Dictionary<string, int> _outcomes = new(StringComparer.Ordinal);
    readonly List<string> _problems = [];

    public int Files { get; private set; }
    public int Sent { get; private set; }
    public int Accepted { get; private set; }
    public int Rejected { get; private set; }
    public IReadOnlyList<string> Problems => _problems;

    public void Add(string file, FileAnswer answer)
    {
        Files++;
        Sent += answer.Sent;
        Accepted += answer.Accepted;
        Rejected += answer.Rejected;
        foreach (var (outcome, count) in answer.Totals)
        {
            _outcomes[outcome] = _outcomes.GetValueOrDefault(outcome) + count;
        }
        _problems.AddRange(answer.Problems);
    }

    public string Summary(TimeSpan elapsed)
    {
        var seconds = Math.Max(elapsed.TotalSeconds, 0.001);
        var outcomes = _outcomes.Count == 0 ? "nothing accepted" : string.Join(", ", _outcomes.Select(o => $"{o.Value} {o.Key}"));
        return $"{Files} file(s), {Sent} object(s) in {elapsed.TotalSeconds:F1} s ({Sent / seconds:F0} objects/s): {outcomes}";
    }
}
