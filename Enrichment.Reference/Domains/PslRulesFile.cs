namespace ThreatGraph.Enrichment.Reference.Domains;

/// <summary>
/// Reads the public suffix rules as npm <c>psl</c> ships them (<c>data/rules.js</c>: an ES module exporting one array
/// of rule strings, one quoted rule per line, ICANN and private sections merged, comments already removed).
/// </summary>
public static class PslRulesFile
{
    /// <summary>Fewer rules than this means the file is not the list (it has about ten thousand).</summary>
    const int MinimumRules = 5000;

    public static IReadOnlyList<string> Read(string path)
    {
        var rules = new List<string>();
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            var t = text.Trim();
            if (t.Length == 0 || t is "export default [" or "];")
            {
                continue;
            }
            if (t.Length < 3 || t[0] != '"' || t.TrimEnd(',')[^1] != '"')
            {
                throw new InvalidDataException($"{Path.GetFileName(path)} line {line}: not a quoted rule: {t}");
            }
            rules.Add(t.TrimEnd(',')[1..^1]);
        }
        if (rules.Count < MinimumRules)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} has {rules.Count} rules: not the public suffix list (it has about 10,000)");
        }
        return rules;
    }
}
