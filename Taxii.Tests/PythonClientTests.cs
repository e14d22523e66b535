namespace ThreatGraph.Taxii.Tests;

/// <summary>An independent TAXII client (client/taxii_client.py: Python standard library only) against the service
/// running as its own process on a loopback port.</summary>
public sealed class PythonClientTests
{
    [Fact]
    public async Task A_urllib_client_discovers_lists_posts_and_pages()
    {
        await using var silo = await SiloProcess.StartAsync();
        var (exit, output, error) = await PythonClient.RunAsync("taxii_client.py", silo.BaseUrl, DevKeys.UsAnalyst);
        Assert.True(exit == 0, $"client failed ({exit}): {error}\n{output}");
        Assert.Contains("collections 1 writable 1", output);
        Assert.Contains("status complete success 25 failure 0", output);
        Assert.Contains("paged 25 objects in 3 pages; sent and identical: 25", output);
        Assert.EndsWith("ok", output.TrimEnd());
    }
}
