using System.Buffers.Binary;
using System.Net;
using ThreatGraph.Enrichment.Reference.IpAsn;

namespace ThreatGraph.Enrichment.Reference.Tests;

/// <summary>The shipped IP → AS and country data (npm @ip-location-db/asn and asn-country, pinned), looked up as the
/// enricher does. Expected values were read from the package's CSV files.</summary>
public sealed class IpAsnDatabaseTests
{
    static IpAsnDatabase Db => IpAsnDatabase.Shipped;

    [Theory]
    [InlineData("8.8.8.8", 15169L, "Google LLC", "US")]
    [InlineData("1.1.1.1", 13335L, "Cloudflare, Inc.", "AU")] // registered to APNIC's Australia block, announced by Cloudflare
    [InlineData("2001:4860:4860::8888", 15169L, "Google LLC", "US")]
    [InlineData("2606:4700:4700::1111", 13335L, "Cloudflare, Inc.", "US")]
    [InlineData("2001:200::1", 2500L, "WIDE Project", "JP")]
    [InlineData("::ffff:8.8.8.8", 15169L, "Google LLC", "US")] // an IPv4-mapped address is the IPv4 address
    public void Known_addresses_resolve_to_their_AS_and_country(string address, long asn, string name, string country) =>
        Assert.Equal(new IpAsnRecord(asn, name, country), Db.Lookup(address));

    [Fact]
    public void A_quoted_organisation_name_keeps_its_quotes_and_commas() =>
        Assert.Equal("LLC \"SPUTNIK\"", Db.Lookup("2.26.200.1")!.AsName);

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("192.168.1.1")]
    [InlineData("127.0.0.1")]
    [InlineData("fd00::1")]
    [InlineData("fe80::1")]
    public void Private_and_reserved_addresses_have_no_record(string address) => Assert.Null(Db.Lookup(address));

    [Theory]
    [InlineData("1.2.3")]
    [InlineData("999.1.1.1")]
    [InlineData("8.8.8.8/24")]
    [InlineData("not-an-address")]
    [InlineData("")]
    public void Text_that_is_not_an_address_fails_naming_it(string text)
    {
        var e = Assert.Throws<FormatException>(() => Db.Lookup(text));
        Assert.Equal($"'{text}' is not an IPv4 or IPv6 address", e.Message);
    }

    [Fact]
    public void The_load_reports_what_it_read()
    {
        var report = Db.Report;
        Assert.True(report.Ranges > 700_000, $"{report.Ranges} ranges");
        Assert.True(report.AutonomousSystems > 50_000, $"{report.AutonomousSystems} autonomous systems");
        Assert.True(report.Bytes > 30_000_000, $"{report.Bytes} bytes");
        // The pinned asn-ipv4.csv has one overlap: AS749 214.95.0.0–215.0.255.255, then AS721 215.0.0.0–215.1.3.255.
        Assert.Equal(1, report.OverlapsResolved);
        Assert.Equal(749L, Db.Lookup("214.255.255.255")?.AsNumber);
        Assert.Equal(721L, Db.Lookup("215.0.0.1")?.AsNumber); // in both rows: the later one wins
    }

    [Fact]
    public void Overlapping_rows_let_the_later_one_win_only_where_both_cover()
    {
        using var folder = new TempFolder();
        folder.Write(IpAsnDatabase.AsnIpv4File,
            "10.0.0.0,10.0.0.255,1,\"One, Inc.\"",
            "10.0.0.128,10.0.1.255,2,Two", // overlaps the end of the first
            "10.0.1.16,10.0.1.31,3,Three", // inside the second
            "10.0.2.0,10.0.2.255,4,");
        folder.Write(IpAsnDatabase.AsnIpv6File, "2001:db8::,2001:db8::ffff,5,Five");
        folder.Write(IpAsnDatabase.CountryIpv4File, "10.0.0.0,10.0.3.255,NZ");
        folder.Write(IpAsnDatabase.CountryIpv6File);
        var db = IpAsnDatabase.Load(folder.Path);

        Assert.Equal(new IpAsnRecord(1, "One, Inc.", "NZ"), db.Lookup("10.0.0.127"));
        Assert.Equal(2L, db.Lookup("10.0.0.128")!.AsNumber);
        Assert.Equal(2L, db.Lookup("10.0.1.15")!.AsNumber);
        Assert.Equal(3L, db.Lookup("10.0.1.16")!.AsNumber);
        Assert.Equal(3L, db.Lookup("10.0.1.31")!.AsNumber);
        Assert.Equal(2L, db.Lookup("10.0.1.32")!.AsNumber);
        Assert.Equal(new IpAsnRecord(4, null, "NZ"), db.Lookup("10.0.2.9"));
        Assert.Equal(new IpAsnRecord(null, null, "NZ"), db.Lookup("10.0.3.1"));
        Assert.Equal(new IpAsnRecord(5, "Five", null), db.Lookup("2001:db8::1"));
        Assert.Null(db.Lookup("2001:db8::1:0"));
        Assert.Null(db.Lookup("9.255.255.255"));
        Assert.Equal(2, db.Report.OverlapsResolved);
    }

    [Theory]
    [InlineData("10.0.1.0,10.0.1.255,1,A\n10.0.0.0,10.0.0.255,2,B", "asn-ipv4.csv line 2: ranges are not sorted by their start")]
    [InlineData("10.0.1.0,10.0.0.255,1,A", "asn-ipv4.csv line 1: the range ends before it starts")]
    [InlineData("10.0.1.0,10.0.1.255,AS1,A", "asn-ipv4.csv line 1: 'AS1' is not an AS number")]
    [InlineData("10.0.1.0,10.0.1.255", "asn-ipv4.csv line 1: expected 4 columns: 10.0.1.0,10.0.1.255")]
    [InlineData("2001:db8::,2001:db8::ff,1,A", "asn-ipv4.csv line 1: an IPv6 range in the IPv4 file")]
    public void A_malformed_file_fails_naming_the_file_and_line(string asnIpv4, string message)
    {
        using var folder = new TempFolder();
        folder.Write(IpAsnDatabase.AsnIpv4File, asnIpv4.Split('\n'));
        folder.Write(IpAsnDatabase.AsnIpv6File);
        folder.Write(IpAsnDatabase.CountryIpv4File);
        folder.Write(IpAsnDatabase.CountryIpv6File);
        Assert.Equal(message, Assert.Throws<InvalidDataException>(() => IpAsnDatabase.Load(folder.Path)).Message);
    }

    [Fact]
    public void A_missing_file_fails_naming_it()
    {
        using var folder = new TempFolder();
        folder.Write(IpAsnDatabase.AsnIpv4File);
        var e = Assert.Throws<FileNotFoundException>(() => IpAsnDatabase.Load(folder.Path));
        Assert.StartsWith($"IP-to-ASN data file {IpAsnDatabase.AsnIpv6File} is missing", e.Message);
    }

    [Fact]
    public void Lookups_agree_with_a_scan_of_the_rows_they_came_from()
    {
        // Every 997th row of the shipped IPv4 file: its first, last and middle address find that row's AS.
        var path = Path.Combine(ReferenceDataFiles.Folder, IpAsnDatabase.AsnIpv4File);
        var checkedRows = 0;
        foreach (var row in IpRangeCsv.Read(path, valueColumns: 2).Where(r => r.Line % 997 == 0))
        {
            var (start, end) = (IpRangeCsv.V4(row.Start), IpRangeCsv.V4(row.End));
            foreach (var a in new[] { start, end, start + ((end - start) / 2) })
            {
                var bytes = new byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(bytes, a);
                var address = new IPAddress(bytes);
                Assert.Equal(long.Parse(row.Values[0], System.Globalization.CultureInfo.InvariantCulture), Db.Lookup(address)?.AsNumber);
            }
            checkedRows++;
        }
        Assert.True(checkedRows > 400, $"{checkedRows} rows checked");
    }
}
