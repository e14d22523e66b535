using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ThreatGraph.Stix.Identifiers;

namespace ThreatGraph.Bench.Generator;

/// <summary>
/// Makes a threat graph shaped like a sharing community's: about 60% observables (ipv4-addr, domain-name, url,
/// file), 25% indicators whose STIX patterns name them, incidents with sightings, campaigns, intrusion sets,
/// threat actors, malware, and reports from two identities (JP and US) that reference ~150 objects each.
/// Supernodes: 8 public resolvers that a quarter of the domains resolve to, 5 very popular malware families that
/// 30% of the general indicators indicate. Planted: chains of campaigns linked through a shared observable
/// (known answers in <see cref="GraphTruth"/>), and island incidents whose observables nothing else touches.
/// Same seed and size → the same objects, byte for byte.
/// </summary>
public sealed class ThreatGraphGenerator
{
    static readonly DateTime Epoch = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    static readonly string[] ResolverIps =
        ["8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "9.9.9.9", "149.112.112.112", "208.67.222.222", "208.67.220.220"];
    static readonly string[] Words =
        ["cdn", "mail", "login", "secure", "update", "portal", "static", "api", "auth", "files", "sync", "cloud", "news", "shop", "dev"];
    static readonly string[] Tlds = ["com", "net", "org", "info", "xyz", "top", "ru", "cn", "jp", "io"];
    static readonly string[] MalwareTypes = ["trojan", "backdoor", "ransomware", "remote-access-trojan", "dropper", "downloader", "worm", "spyware"];

    readonly Random _rng;
    readonly int _seed;
    readonly GraphSize _size;
    readonly List<JsonObject> _nodeObjects = [];
    readonly List<JsonObject> _relationships = [];
    readonly List<GenNode> _nodes = [];
    readonly List<GenEdge> _edges = [];
    readonly Dictionary<string, string> _typeOf = new(StringComparer.Ordinal);
    int _ipCounter, _domainCounter, _urlCounter, _fileCounter;

    ThreatGraphGenerator(int seed, GraphSize size)
    {
        _seed = seed;
        _size = size;
        _rng = new Random(seed);
    }

    public static GeneratedGraph Generate(int seed, GraphSize size) => new ThreatGraphGenerator(seed, size).Run();

    sealed record Obs(string Id, string Type, string Value);

    GeneratedGraph Run()
    {
        var n = _size.Nodes;
        var reporters = new[]
        {
            Identity("JP-ISAC Threat Sharing (Japan)", "organization", "JP"),
            Identity("US-ISAC Threat Sharing (United States)", "organization", "US"),
        };
        var victims = Enumerable.Range(0, Math.Max(20, n / 2000)).Select(i => Identity($"Victim organisation {i}", "organization", null)).ToList();

        var malwareCount = Math.Max(20, n / 100);
        var actorCount = Math.Max(5, n / 500);
        var setCount = Math.Max(5, n * 3 / 1000);
        var campaignCount = Math.Max(20, n * 15 / 1000);
        var incidentCount = Math.Max(20, n * 3 / 100);
        var sightingCount = Math.Max(20, n * 5 / 100);
        var reportCount = Math.Max(10, n * 25 / 1000);
        var indicatorCount = n / 4;
        const int ownIndicatorsPerCampaign = 3;
        var generalIndicators = indicatorCount - campaignCount * ownIndicatorsPerCampaign;
        var islandCount = incidentCount / 5;
        var fixedNodes = 2 + victims.Count + malwareCount + actorCount + setCount + campaignCount + incidentCount + sightingCount + reportCount + indicatorCount;
        var generalObservables = n - fixedNodes - campaignCount * ownIndicatorsPerCampaign - islandCount * 2;
        if (generalObservables < 100)
        {
            throw new ArgumentException($"size {n} is too small for the mix");
        }

        // Shared observables: ipv4 35% (the resolvers first), domains 35%, urls 15%, files 15%.
        var ips = new List<Obs>();
        foreach (var r in ResolverIps)
        {
            ips.Add(Ipv4(r));
        }
        var ipCount = generalObservables * 35 / 100;
        while (ips.Count < ipCount)
        {
            ips.Add(Ipv4(null));
        }
        var resolvers = ips.Take(ResolverIps.Length).ToList();
        var plainIps = ips.Skip(ResolverIps.Length).ToList();
        var domains = new List<Obs>();
        for (var i = 0; i < generalObservables * 35 / 100; i++)
        {
            var refs = new List<string> { Pick(plainIps).Id };
            if (_rng.NextDouble() < 0.5) refs.Add(Pick(plainIps).Id);
            if (_rng.NextDouble() < 0.25) refs.Add(Pick(resolvers).Id);
            domains.Add(Domain(refs.Distinct().ToList()));
        }
        var urls = new List<Obs>();
        for (var i = 0; i < generalObservables * 15 / 100; i++)
        {
            var host = Pick(domains);
            var url = Url(host.Value);
            urls.Add(url);
            if (_rng.NextDouble() < 0.5) Relationship("related-to", url.Id, host.Id);
        }
        var files = new List<Obs>();
        var fileCount = generalObservables - ips.Count - domains.Count - urls.Count;
        for (var i = 0; i < fileCount; i++)
        {
            files.Add(File());
        }

        // Malware: the first five are the very popular families.
        var malware = new List<string>();
        for (var i = 0; i < malwareCount; i++)
        {
            var popular = i < 5;
            var samples = Enumerable.Range(0, popular ? 300 : _rng.Next(1, 10)).Select(_ => Pick(files).Id).Distinct().ToList();
            malware.Add(Malware(popular ? $"PopularFamily{i}" : $"Malware{i}", samples));
        }
        var popularMalware = malware.Take(5).ToList();

        var actors = Enumerable.Range(0, actorCount).Select(i => Sdo("threat-actor", $"Threat actor {i}", o => o["threat_actor_types"] = Arr("crime-syndicate"))).ToList();
        foreach (var a in actors) Relationship("targets", a, Pick(victims));
        var sets = Enumerable.Range(0, setCount).Select(i => Sdo("intrusion-set", $"Intrusion set {i}", null)).ToList();
        foreach (var s in sets)
        {
            Relationship("attributed-to", s, Pick(actors));
            foreach (var m in PickDistinct(malware, 2)) Relationship("uses", s, m);
        }
        var campaigns = Enumerable.Range(0, campaignCount).Select(i => Sdo("campaign", $"Campaign {i}", null)).ToList();
        foreach (var c in campaigns)
        {
            Relationship("attributed-to", c, Pick(sets));
            foreach (var m in PickDistinct(malware, _rng.Next(1, 3))) Relationship("uses", c, m);
            Relationship("targets", c, Pick(victims));
        }

        // Each campaign's own indicators name observables that nothing else names, so campaigns are linked only
        // where a link is planted: indicator 0 of the next campaign in a cluster also names observable 0 of the previous one.
        var own = new List<Obs[]>();
        foreach (var _ in campaigns)
        {
            own.Add([.. Enumerable.Range(0, ownIndicatorsPerCampaign).Select(k => (k % 3) switch { 0 => Ipv4(null), 1 => Domain([Pick(plainIps).Id]), _ => Url(Pick(domains).Value) })]);
        }
        var clusters = new List<IReadOnlyList<string>>();
        var links = new List<PlantedLink>();
        var extraNamed = new Dictionary<int, Obs>();
        var linkedPrevious = new Dictionary<int, int>();
        var clusterBudget = campaignCount / 10;
        var next = 0;
        while (next < clusterBudget)
        {
            var len = Math.Min(2 + _rng.Next(4), clusterBudget - next);
            if (len < 2) break;
            var members = Enumerable.Range(next, len).ToList();
            for (var k = 1; k < members.Count; k++)
            {
                extraNamed[members[k]] = own[members[k - 1]][0];
                linkedPrevious[members[k]] = members[k - 1];
            }
            clusters.Add([.. members.Select(m => campaigns[m])]);
            next += len;
        }
        var campaignIndicators = new List<string[]>();
        for (var c = 0; c < campaigns.Count; c++)
        {
            var inds = new string[ownIndicatorsPerCampaign];
            for (var k = 0; k < ownIndicatorsPerCampaign; k++)
            {
                var named = new List<Obs> { own[c][k] };
                if (k == 0 && extraNamed.TryGetValue(c, out var shared)) named.Add(shared);
                inds[k] = Indicator(named);
                Relationship("indicates", inds[k], campaigns[c]);
            }
            campaignIndicators.Add(inds);
        }
        foreach (var (c, prev) in linkedPrevious)
        {
            links.Add(new PlantedLink(campaigns[prev], campaigns[c], own[prev][0].Id, campaignIndicators[prev][0], campaignIndicators[c][0]));
        }

        // General indicators: 1-2 shared observables (never a resolver), indicating malware (30% a popular family) or an intrusion set.
        var nameable = new List<Obs>(plainIps.Count + domains.Count + urls.Count);
        nameable.AddRange(plainIps);
        nameable.AddRange(domains);
        nameable.AddRange(urls);
        var indicators = new List<string>();
        for (var i = 0; i < generalIndicators; i++)
        {
            var named = new List<Obs> { Pick(nameable) };
            if (_rng.NextDouble() < 0.3) named.Add(Pick(nameable));
            var ind = Indicator(named.DistinctBy(o => o.Id).ToList());
            indicators.Add(ind);
            var r = _rng.NextDouble();
            Relationship("indicates", ind, r < 0.3 ? Pick(popularMalware) : r < 0.9 ? Pick(malware) : Pick(sets));
        }

        // Incidents: related to 2-4 shared observables; one in five is an island with two observables of its own.
        var incidents = new List<string>();
        var islands = new List<string>();
        var generalObs = new List<Obs>(nameable.Count + files.Count);
        generalObs.AddRange(nameable);
        generalObs.AddRange(files);
        for (var i = 0; i < incidentCount; i++)
        {
            var inc = Sdo("incident", $"Incident {i}", null);
            incidents.Add(inc);
            if (i < islandCount)
            {
                islands.Add(inc);
                Relationship("related-to", inc, Ipv4(null).Id);
                Relationship("related-to", inc, File().Id);
            }
            else
            {
                foreach (var o in PickDistinct(generalObs, _rng.Next(2, 5))) Relationship("related-to", inc, o.Id);
            }
        }
        var allIndicators = indicators.Concat(campaignIndicators.SelectMany(x => x)).ToList();
        for (var i = 0; i < sightingCount; i++)
        {
            Sighting(Pick(allIndicators), Pick(victims));
        }

        // Reports from the two identities, each referencing 100-196 objects: indicators, observables, the rest.
        var referable = _nodes.Where(x => x.Type is not "identity").Select(x => x.Id).ToList();
        for (var i = 0; i < reportCount; i++)
        {
            var refs = PickDistinct(referable, 100 + _rng.Next(97));
            Report($"Threat report {i}", reporters[i % 2], refs);
        }

        var objects = new List<JsonObject>(_nodeObjects.Count + _relationships.Count);
        objects.AddRange(_nodeObjects);
        objects.AddRange(_relationships);
        return new GeneratedGraph
        {
            Seed = _seed,
            Size = _size,
            Objects = objects,
            Nodes = _nodes,
            Edges = _edges,
            Truth = new GraphTruth(clusters, links, [.. resolvers.Select(r => r.Id)], popularMalware, islands, reporters),
        };
    }

    /// <summary>New objects for the write workloads: an ipv4-addr, an indicator naming it, and the indicator
    /// indicating an existing object (a popular malware for the mixed workload, a watched campaign for the subscription
    /// workload). Deterministic per (seed, index); never collides with the base graph.</summary>
    public static (JsonObject[] Objects, GenNode[] Nodes, GenEdge[] Edges) DeltaUnit(int seed, int index, IReadOnlyList<string> targets)
    {
        var g = new ThreatGraphGenerator(unchecked(seed * 31 + index + 1), GraphSize.Tiny);
        var ip = g.Ipv4($"203.{(index >> 16) & 255}.{(index >> 8) & 255}.{index & 255}");
        var ind = g.Indicator([ip]);
        g.Relationship("indicates", ind, targets[index % targets.Count]);
        return ([.. g._nodeObjects, .. g._relationships], [.. g._nodes], [.. g._edges]);
    }

    /// <summary>New objects for the subscription workload: an indicator whose pattern names no observable (a port), and
    /// the indicator indicating <c>campaigns[index % campaigns.Count]</c>. Its one linking edge is to the campaign, so it
    /// joins the campaign's cluster alone and every update about it names it as a new member.
    /// Deterministic per (seed, index).</summary>
    public static (JsonObject[] Objects, GenNode[] Nodes, GenEdge[] Edges) CampaignMemberUnit(int seed, int index, IReadOnlyList<string> campaigns)
    {
        var g = new ThreatGraphGenerator(unchecked(seed * 31 + index + 1), GraphSize.Tiny);
        var name = $"Indicator {index} of port activity";
        var o = g.Common("indicator", name);
        o["indicator_types"] = Arr("malicious-activity");
        o["pattern"] = $"[network-traffic:dst_port = {1024 + index % 60_000}]";
        o["pattern_type"] = "stix";
        o["valid_from"] = (string)o["created"]!;
        var ind = g.AddNode(o, name);
        g.Relationship("indicates", ind, campaigns[index % campaigns.Count]);
        return ([.. g._nodeObjects, .. g._relationships], [.. g._nodes], [.. g._edges]);
    }

    // ---- objects ----

    string NewId(string type)
    {
        Span<byte> b = stackalloc byte[16];
        _rng.NextBytes(b);
        b[6] = (byte)((b[6] & 0x0F) | 0x40);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        return $"{type}--{new Guid(b, bigEndian: true)}";
    }

    string Stamp()
    {
        var t = Epoch.AddSeconds(_rng.Next(0, 600 * 24 * 3600)).AddMilliseconds(_rng.Next(1000));
        return t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    JsonObject Common(string type, string name)
    {
        var id = NewId(type);
        var ts = Stamp();
        var o = new JsonObject { ["type"] = type, ["spec_version"] = "2.1", ["id"] = id, ["created"] = ts, ["modified"] = ts };
        if (type is not ("sighting" or "relationship")) o["name"] = name;
        return o;
    }

    string AddNode(JsonObject o, string name)
    {
        var id = (string)o["id"]!;
        var type = (string)o["type"]!;
        _nodeObjects.Add(o);
        _nodes.Add(new GenNode(id, type, name));
        _typeOf[id] = type;
        return id;
    }

    /// <summary>The organisation the benchmark loads the graph as: each organisation's report of an observable declares
    /// its own refs, so an observable's ref edge id names it (README "Who sees what").</summary>
    public const string ReportingOrg = "jp-nisc";

    void RefEdge(string source, string property, string target) =>
        _edges.Add(new GenEdge(ThreatGraph.Stix.StixTypes.IsObservable(_typeOf[source])
            ? $"ref:{source}|{property}|{target}|{ReportingOrg}" : $"ref:{source}|{property}|{target}", property, source, target));

    string Identity(string name, string identityClass, string? country)
    {
        var o = Common("identity", name);
        o["identity_class"] = identityClass;
        if (country is not null)
        {
            o["sectors"] = Arr("government");
            o["description"] = $"National threat-sharing community ({country})";
        }
        return AddNode(o, name);
    }

    string Sdo(string type, string name, Action<JsonObject>? extra)
    {
        var o = Common(type, name);
        extra?.Invoke(o);
        return AddNode(o, name);
    }

    string Malware(string name, List<string> samples)
    {
        var o = Common("malware", name);
        o["is_family"] = true;
        o["malware_types"] = Arr(MalwareTypes[_rng.Next(MalwareTypes.Length)]);
        o["sample_refs"] = Arr([.. samples]);
        var id = AddNode(o, name);
        foreach (var s in samples) RefEdge(id, "sample_refs", s);
        return id;
    }

    Obs Sco(JsonObject o, string value)
    {
        var id = ScoId.Compute(o) ?? throw new InvalidOperationException("no deterministic id");
        var ordered = new JsonObject { ["type"] = (string)o["type"]!, ["spec_version"] = "2.1", ["id"] = id };
        foreach (var p in o.ToList())
        {
            if (p.Key is "type") continue;
            o.Remove(p.Key);
            ordered[p.Key] = p.Value;
        }
        AddNode(ordered, value);
        return new Obs(id, (string)ordered["type"]!, value);
    }

    Obs Ipv4(string? value)
    {
        if (value is null)
        {
            var i = _ipCounter++;
            // First octet 23..122: never a resolver's, unique per counter.
            value = $"{23 + ((i >> 16) % 100)}.{(i >> 8) & 255}.{i & 255}.{(i * 7919 % 254) + 1}";
        }
        return Sco(new JsonObject { ["type"] = "ipv4-addr", ["value"] = value }, value);
    }

    Obs Domain(List<string> resolvesTo)
    {
        var i = _domainCounter++;
        var value = $"{Words[_rng.Next(Words.Length)]}-{i.ToString("x", CultureInfo.InvariantCulture)}.{Tlds[_rng.Next(Tlds.Length)]}";
        var obs = Sco(new JsonObject { ["type"] = "domain-name", ["value"] = value, ["resolves_to_refs"] = Arr([.. resolvesTo]) }, value);
        foreach (var r in resolvesTo) RefEdge(obs.Id, "resolves_to_refs", r);
        return obs;
    }

    Obs Url(string host)
    {
        var i = _urlCounter++;
        var value = $"http://{host}/{Words[_rng.Next(Words.Length)]}/{i.ToString("x", CultureInfo.InvariantCulture)}.php";
        return Sco(new JsonObject { ["type"] = "url", ["value"] = value }, value);
    }

    Obs File()
    {
        var i = _fileCounter++;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{_seed}/file/{i}")));
        var name = $"sample-{i}.exe";
        return Sco(new JsonObject { ["type"] = "file", ["hashes"] = new JsonObject { ["SHA-256"] = hash }, ["name"] = name }, name);
    }

    string Indicator(List<Obs> named)
    {
        var pattern = string.Join(" OR ", named.Select(o => $"[{o.Type}:value = '{o.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}']"));
        var name = $"Indicator for {named[0].Value}";
        var o = Common("indicator", name);
        o["indicator_types"] = Arr("malicious-activity");
        o["pattern"] = pattern;
        o["pattern_type"] = "stix";
        o["valid_from"] = (string)o["created"]!;
        var id = AddNode(o, name);
        foreach (var obs in named) RefEdge(id, EdgeKinds.PatternNames, obs.Id);
        return id;
    }

    void Sighting(string indicator, string victim)
    {
        var o = Common("sighting", "");
        o["sighting_of_ref"] = indicator;
        o["where_sighted_refs"] = Arr(victim);
        o["count"] = _rng.Next(1, 50);
        var id = AddNode(o, $"Sighting of {indicator}");
        RefEdge(id, "sighting_of_ref", indicator);
        RefEdge(id, "where_sighted_refs", victim);
    }

    void Report(string name, string author, List<string> refs)
    {
        var o = Common("report", name);
        o["created_by_ref"] = author;
        o["report_types"] = Arr("threat-report");
        o["published"] = (string)o["created"]!;
        o["object_refs"] = Arr([.. refs]);
        var id = AddNode(o, name);
        RefEdge(id, "created_by_ref", author);
        foreach (var r in refs) RefEdge(id, "object_refs", r);
    }

    void Relationship(string kind, string source, string target)
    {
        var o = Common("relationship", "");
        o["relationship_type"] = kind;
        o["source_ref"] = source;
        o["target_ref"] = target;
        _relationships.Add(o);
        _edges.Add(new GenEdge((string)o["id"]!, kind, source, target));
    }

    T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

    List<T> PickDistinct<T>(IReadOnlyList<T> items, int count)
    {
        count = Math.Min(count, items.Count);
        var chosen = new HashSet<int>();
        var result = new List<T>(count);
        while (result.Count < count)
        {
            var i = _rng.Next(items.Count);
            if (chosen.Add(i)) result.Add(items[i]);
        }
        return result;
    }

    static JsonArray Arr(params string[] values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v)!)]);
}
