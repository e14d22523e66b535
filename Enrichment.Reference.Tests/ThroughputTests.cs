using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using ThreatGraph.Enrichment.Reference.Domains;
using ThreatGraph.Enrichment.Reference.IpAsn;
using Xunit.Abstractions;
using static ThreatGraph.Enrichment.Reference.Tests.TestContext;

namespace ThreatGraph.Enrichment.Reference.Tests;

/// <summary>Measures (prints, never asserts) lookups/s and enricher objects/s on seeded random inputs; asserts only
/// what the answers must be. Run with <c>--logger "console;verbosity=detailed"</c> to see the numbers.</summary>
public sealed class ThroughputTests(ITestOutputHelper output)
{
    [Fact]
    public void IP_lookups()
    {
        var db = IpAsnDatabase.Shipped;
        output.WriteLine($"load: {db.Report.LoadTime.TotalMilliseconds:F0} ms, {db.Report.Bytes / 1e6:F1} MB of CSV, {db.Report.Ranges} ranges, {db.Report.AutonomousSystems} AS records");
        var random = new Random(14);
        var addresses = Enumerable.Range(0, 1_000_000)
            .Select(_ => V4((uint)random.NextInt64(0x0100_0000, 0xE000_0000))).ToArray();
        var clock = Stopwatch.StartNew();
        var found = 0;
        foreach (var address in addresses)
        {
            if (db.Lookup(address) is { } record)
            {
                Assert.True(record.AsNumber is not null || record.CountryCode is not null);
                found++;
            }
        }
        clock.Stop();
        output.WriteLine($"IPv4 lookups: {addresses.Length / clock.Elapsed.TotalSeconds:N0}/s ({found} of {addresses.Length} random unicast addresses found)");
        Assert.InRange(found, 1, addresses.Length);
    }

    [Fact]
    public void Registered_domain_lookups()
    {
        var psl = RegisteredDomains.Shipped;
        string[] suffixes = ["com", "co.uk", "blogspot.com", "公司.cn", "github.io", "ck", "unlisted"];
        var hosts = Enumerable.Range(0, 200_000).Select(i => $"h{i % 97}.n{i}.{suffixes[i % suffixes.Length]}").ToArray();
        var clock = Stopwatch.StartNew();
        var found = hosts.Count(h => psl.RegisteredDomain(h) is not null);
        clock.Stop();
        output.WriteLine($"registered-domain lookups: {hosts.Length / clock.Elapsed.TotalSeconds:N0}/s");
        Assert.Equal(hosts.Length, found);
    }

    [Fact]
    public async Task Enricher_objects()
    {
        var random = new Random(15);
        var ips = Enumerable.Range(0, 20_000).Select(_ => Observable("ipv4-addr", $"{random.Next(1, 224)}.{random.Next(256)}.{random.Next(256)}.{random.Next(256)}")).ToArray();
        var domains = Enumerable.Range(0, 20_000).Select(i => Observable("domain-name", $"www.host{i}.example-{i % 50}.co.uk")).ToArray();
        await Measure(new IpAsnEnricher(IpAsnDatabase.Shipped), ips);
        await Measure(new RegisteredDomainEnricher(RegisteredDomains.Shipped), domains);
        await Measure(new WarninglistEnricher(new Stix.Warninglists.Warninglists(Stix.Warninglists.BuiltinWarninglists.All())), ips);
    }

    static IPAddress V4(uint address)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return new IPAddress(bytes);
    }

    async Task Measure(IEnricher enricher, EnrichmentInput[] inputs)
    {
        var clock = Stopwatch.StartNew();
        var objects = 0;
        foreach (var input in inputs)
        {
            objects += (await enricher.EnrichAsync(input, Instance, default)).Objects.Count;
        }
        clock.Stop();
        output.WriteLine($"{enricher.Name}: {inputs.Length / clock.Elapsed.TotalSeconds:N0} inputs/s, {objects / clock.Elapsed.TotalSeconds:N0} objects/s ({objects} objects from {inputs.Length} inputs)");
        Assert.True(objects > 0, $"{enricher.Name} derived nothing from {inputs.Length} inputs");
    }
}
