using System.Diagnostics;
using ThreatGraph.Silo.Hosting;

namespace ThreatGraph.Durability.Tests;

/// <summary>Orleans:Storage=azure with a missing, unparsable or unreachable connection string fails fast, naming the key.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("this is not a connection string", "is not a valid Azure Storage connection string")]
    public void Azure_storage_without_a_usable_connection_string_fails_naming_the_key(string? connectionString, string expected)
    {
        var e = Assert.Throws<StartupConfigurationException>(() => Build(connectionString));
        Assert.Contains(ThreatGraphSiloOptions.Keys.AzureStorageConnectionString, e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Azure_storage_that_nobody_answers_fails_within_ten_seconds_naming_the_key()
    {
        var port = FreePort.Next(); // nothing listens there
        var cs = $"DefaultEndpointsProtocol=http;AccountName={AzuriteFixture.AccountName};AccountKey={AzuriteFixture.AccountKey};" +
                 $"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;" +
                 $"TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<StartupConfigurationException>(() => Build(cs));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Contains(ThreatGraphSiloOptions.Keys.AzureStorageConnectionString, e.Message, StringComparison.Ordinal);
        Assert.Contains("unreachable", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_storage_kind_is_refused()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["Orleans:Storage"] = "sql";
        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => builder.AddThreatGraphSilo());
        Assert.Contains("Orleans:Storage", e.Message, StringComparison.Ordinal);
    }

    static void Build(string? connectionString)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["Orleans:Storage"] = "azure";
        builder.Configuration["Orleans:StorageProbeTimeoutSeconds"] = "5";
        if (connectionString is not null)
        {
            builder.Configuration["Orleans:AzureStorageConnectionString"] = connectionString;
        }
        builder.AddThreatGraphSilo();
    }
}
