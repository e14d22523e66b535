using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace ThreatGraph.Enrichment.Reference.IpAsn;

/// <summary>
/// IP address → AS number, AS organisation and registration country, from the pinned <c>@ip-location-db/asn</c> and
/// <c>@ip-location-db/asn-country</c> CSV files shipped in <c>refdata/</c>. Loaded once into sorted range tables
/// (one binary search per lookup); immutable afterwards, so one instance serves every thread.
/// </summary>
public sealed class IpAsnDatabase
{
    public const string AsnIpv4File = "asn-ipv4.csv";
    public const string AsnIpv6File = "asn-ipv6.csv";
    public const string CountryIpv4File = "asn-country-ipv4.csv";
    public const string CountryIpv6File = "asn-country-ipv6.csv";

    static readonly Lazy<IpAsnDatabase> ShippedInstance = new(() => Load(ReferenceDataFiles.Folder));

    readonly IpRangeTable<uint> _asnV4;
    readonly IpRangeTable<UInt128> _asnV6;
    readonly IpRangeTable<uint> _countryV4;
    readonly IpRangeTable<UInt128> _countryV6;
    readonly (long Number, string? Name)[] _systems;
    readonly string[] _countries;

    IpAsnDatabase(IpRangeTable<uint> asnV4, IpRangeTable<UInt128> asnV6, IpRangeTable<uint> countryV4, IpRangeTable<UInt128> countryV6,
        (long, string?)[] systems, string[] countries, LoadReport report)
    {
        (_asnV4, _asnV6, _countryV4, _countryV6) = (asnV4, asnV6, countryV4, countryV6);
        (_systems, _countries, Report) = (systems, countries, report);
    }

    /// <summary>The database shipped with the application, loaded on first use.</summary>
    public static IpAsnDatabase Shipped => ShippedInstance.Value;

    /// <summary>How the load went: time, bytes read, ranges, distinct ASes, overlapping rows resolved.</summary>
    public LoadReport Report { get; }

    public sealed record LoadReport(TimeSpan LoadTime, long Bytes, int Ranges, int AutonomousSystems, int OverlapsResolved);

    /// <summary>Reads the four CSV files from <paramref name="folder"/>; a missing or malformed file fails with its name
    /// (and line).</summary>
    public static IpAsnDatabase Load(string folder)
    {
        var clock = Stopwatch.StartNew();
        var files = new[] { AsnIpv4File, AsnIpv6File, CountryIpv4File, CountryIpv6File }.Select(f => Path.Combine(folder, f)).ToArray();
        foreach (var file in files.Where(f => !File.Exists(f)))
        {
            throw new FileNotFoundException($"IP-to-ASN data file {Path.GetFileName(file)} is missing from {folder}", file);
        }
        var systems = new List<(long, string?)>();
        var systemIndex = new Dictionary<(long, string?), int>();
        var asnV4 = new IpRangeTable<uint>.Builder(AsnIpv4File);
        var asnV6 = new IpRangeTable<UInt128>.Builder(AsnIpv6File);
        foreach (var (file, v4) in new[] { (files[0], true), (files[1], false) })
        {
            foreach (var row in IpRangeCsv.Read(file, valueColumns: 2))
            {
                if (!long.TryParse(row.Values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > uint.MaxValue)
                {
                    throw new InvalidDataException($"{Path.GetFileName(file)} line {row.Line}: '{row.Values[0]}' is not an AS number");
                }
                var key = (number, row.Values[1].Length == 0 ? null : row.Values[1]);
                if (!systemIndex.TryGetValue(key, out var index))
                {
                    systemIndex[key] = index = systems.Count;
                    systems.Add(key);
                }
                Add(asnV4, asnV6, v4, file, row, index);
            }
        }
        var countries = new List<string>();
        var countryIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var countryV4 = new IpRangeTable<uint>.Builder(CountryIpv4File);
        var countryV6 = new IpRangeTable<UInt128>.Builder(CountryIpv6File);
        foreach (var (file, v4) in new[] { (files[2], true), (files[3], false) })
        {
            foreach (var row in IpRangeCsv.Read(file, valueColumns: 1))
            {
                var code = row.Values[0];
                if (code.Length != 2 || !char.IsAsciiLetterUpper(code[0]) || !char.IsAsciiLetterUpper(code[1]))
                {
                    throw new InvalidDataException($"{Path.GetFileName(file)} line {row.Line}: '{code}' is not an ISO 3166-1 alpha-2 code");
                }
                if (!countryIndex.TryGetValue(code, out var index))
                {
                    countryIndex[code] = index = countries.Count;
                    countries.Add(code);
                }
                Add(countryV4, countryV6, v4, file, row, index);
            }
        }
        var tables = (asnV4.Build(), asnV6.Build(), countryV4.Build(), countryV6.Build());
        var report = new LoadReport(clock.Elapsed, files.Sum(f => new FileInfo(f).Length),
            tables.Item1.Count + tables.Item2.Count + tables.Item3.Count + tables.Item4.Count, systems.Count,
            asnV4.OverlapsResolved + asnV6.OverlapsResolved + countryV4.OverlapsResolved + countryV6.OverlapsResolved);
        return new IpAsnDatabase(tables.Item1, tables.Item2, tables.Item3, tables.Item4, [.. systems], [.. countries], report);
    }

    static void Add(IpRangeTable<uint>.Builder v4Table, IpRangeTable<UInt128>.Builder v6Table, bool v4, string file, IpRangeCsv.Row row, int index)
    {
        if (IpRangeCsv.IsV4(row.Start) != v4)
        {
            throw new InvalidDataException($"{Path.GetFileName(file)} line {row.Line}: an {(v4 ? "IPv6" : "IPv4")} range in the {(v4 ? "IPv4" : "IPv6")} file");
        }
        if (v4)
        {
            v4Table.Add(IpRangeCsv.V4(row.Start), IpRangeCsv.V4(row.End), index, row.Line);
        }
        else
        {
            v6Table.Add(IpRangeCsv.V6(row.Start), IpRangeCsv.V6(row.End), index, row.Line);
        }
    }

    /// <summary>What the data says of <paramref name="address"/> (text, IPv4 dotted quad or IPv6), or null when it
    /// lists neither an AS nor a country for it. Text that is not an address fails with a <see cref="FormatException"/>
    /// naming it.</summary>
    public IpAsnRecord? Lookup(string address)
    {
        // IPAddress.TryParse also takes "1.2" and "0x7f.1"; only what ObservableNormalizer accepts as an address is one.
        var isV4Text = address.Contains('.', StringComparison.Ordinal) && !address.Contains(':', StringComparison.Ordinal);
        if ((isV4Text && address.Split('.').Length != 4) || !IPAddress.TryParse(address, out var ip) || address.Contains('/', StringComparison.Ordinal))
        {
            throw new FormatException($"'{address}' is not an IPv4 or IPv6 address");
        }
        return Lookup(ip);
    }

    public IpAsnRecord? Lookup(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        int system, country;
        if (IpRangeCsv.IsV4(address))
        {
            var key = IpRangeCsv.V4(address);
            (system, country) = (_asnV4.Find(key), _countryV4.Find(key));
        }
        else
        {
            var key = IpRangeCsv.V6(address);
            (system, country) = (_asnV6.Find(key), _countryV6.Find(key));
        }
        if (system < 0 && country < 0)
        {
            return null;
        }
        return new IpAsnRecord(system >= 0 ? _systems[system].Number : null, system >= 0 ? _systems[system].Name : null,
            country >= 0 ? _countries[country] : null);
    }
}
