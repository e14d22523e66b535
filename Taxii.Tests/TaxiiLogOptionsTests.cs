using System.Buffers.Text;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using ThreatGraph.Grains.Taxii;
using ThreatGraph.TestSupport;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.Taxii.Tests;

/// <summary><c>Taxii:LogPartitions</c>: validated at start-up, in the README with its default, and a <c>next</c> token
/// of another layout is refused.</summary>
public sealed class TaxiiLogOptionsTests
{
    [Fact]
    public void The_readme_configuration_table_lists_the_partition_count_with_its_default()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot.Path, "README.md"));
        Assert.Contains($"| `{TaxiiLogOptions.PartitionsKey}` | `{new TaxiiLogOptions().LogPartitions}` |", readme, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65")]
    public async Task A_partition_count_out_of_range_stops_the_start_up_naming_the_setting(string value)
    {
        await using var api = new TaxiiFactory().With(TaxiiLogOptions.PartitionsKey, value);
        var e = Assert.Throws<OptionsValidationException>(() => api.Server);
        Assert.Contains($"Taxii:LogPartitions must be between 1 and 64, not {value}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_next_token_of_another_layout_or_of_the_single_log_is_a_400()
    {
        await using var api = new TaxiiFactory().With(TaxiiLogOptions.PartitionsKey, "3");
        static string Token(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
        foreach (var token in new[] { Token("tg1:42"), Token("tg2:8:0.0.0.0.0.0.0.0"), Token("tg2:3:0.0"), Token("tg2:3:1.x.2") })
        {
            var (status, body, _) = await api.GetAsync(TaxiiFactory.Collection + "objects/?next=" + token);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("next", body["description"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        var (ok, _, _) = await api.GetAsync(TaxiiFactory.Collection + "objects/?next=" + Token("tg2:3:0.0.0"));
        Assert.Equal(HttpStatusCode.OK, ok);
    }
}
