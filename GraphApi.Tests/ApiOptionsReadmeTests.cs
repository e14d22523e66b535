using System.Globalization;
using ThreatGraph.GraphApi.Hosting;
using ThreatGraph.TestSupport;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>The README's configuration table lists every <c>Api:</c> setting with the default the code has.</summary>
public sealed class ApiOptionsReadmeTests
{
    [Fact]
    public void Every_Api_setting_is_in_the_readme_table_with_its_default()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot.Path, "README.md"));
        var defaults = new ApiOptions();
        var missing = typeof(ApiOptions).GetProperties()
            .Select(p => $"| `{ApiOptions.Section}:{p.Name}` | `{Format(p.GetValue(defaults))}`")
            .Where(row => !readme.Contains(row, StringComparison.Ordinal))
            .ToList();

        Assert.True(missing.Count == 0, "README configuration rows missing or with another default:\n" + string.Join("\n", missing));
    }

    static string Format(object? value) => value switch
    {
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "",
    };
}
