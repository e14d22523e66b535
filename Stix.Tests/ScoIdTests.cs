using System.Text.Json.Nodes;
using ThreatGraph.Stix.Identifiers;

namespace ThreatGraph.Stix.Tests;

public class ScoIdTests
{
    static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json)!;

    /// <summary>Every SCO anywhere in the shared data (bundles, observed-data, the MISP mapping document).</summary>
    static IEnumerable<(string File, JsonObject Sco)> AllScos()
    {
        var files = SharedData.Files(".", "*.json").Concat(SharedData.Files(".", "*.stix2"))
            .Where(f => !f.StartsWith("stix2-json-schemas/", StringComparison.Ordinal) && !f.Contains("/interop/", StringComparison.Ordinal)
                && !f.StartsWith("misp/galaxy/", StringComparison.Ordinal) && !f.StartsWith("misp/warninglists/", StringComparison.Ordinal));
        foreach (var file in files)
        {
            JsonNode root;
            try
            {
                root = SharedData.ReadJson(file);
            }
            catch (System.Text.Json.JsonException)
            {
                continue; // the two intentionally malformed validator examples
            }
            foreach (var sco in Walk(root))
            {
                yield return (file, sco);
            }
        }
    }

    static IEnumerable<JsonObject> Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["type"] is JsonValue t && t.TryGetValue(out string? type) && StixTypes.IsObservable(type) && o["id"] is JsonValue)
                {
                    yield return o;
                }
                foreach (var (_, child) in o)
                {
                    foreach (var found in Walk(child))
                    {
                        yield return found;
                    }
                }
                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    foreach (var found in Walk(child))
                    {
                        yield return found;
                    }
                }
                break;
        }
    }

    [Fact]
    public void Reproduces_every_UUIDv5_SCO_id_in_the_shared_data()
    {
        var v5 = AllScos()
            .Where(x => x.Sco["id"]!.GetValue<string>() is var id && id[(id.IndexOf("--", StringComparison.Ordinal) + 2 + 14)] == '5')
            .ToArray();

        var mismatches = v5.Where(x => !ScoId.IsDeterministic(x.Sco))
            .Select(x => $"{x.File}: {x.Sco["id"]} computed {ScoId.Compute(x.Sco)}").ToArray();

        Assert.Empty(mismatches);
        // The UUIDv5 SCO ids in the data: email-addr and user-account (incident_ransom.json), file (MD5 chosen over
        // SHA-1) and windows-registry-key (sighting-of-observed-data.json). All other SCO ids there are UUIDv4.
        Assert.Equal(
            [
                "email-addr--872bd204-384b-548b-a2d2-24eee3b48fe8",
                "file--364fe3e5-b1f4-5ba3-b951-ee5983b3538d",
                "user-account--8692770d-34f4-5681-8628-810d62dbfcb6",
                "windows-registry-key--16b80d14-d574-5620-abad-10ff304b1c26",
            ],
            v5.Select(x => x.Sco["id"]!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void File_hashes_contribute_only_the_preferred_hash()
    {
        var both = Obj("""{"type":"file","id":"file--364fe3e5-b1f4-5ba3-b951-ee5983b3538d","hashes":{"SHA-1":"c79a326f8411e9488bdc3779753e1e3489aaedea","MD5":"1717b7fff97d37a1e1a0029d83492de1"},"name":"resume.pdf","size":83968}""");
        var md5Only = Obj("""{"type":"file","hashes":{"MD5":"1717b7fff97d37a1e1a0029d83492de1"},"name":"resume.pdf"}""");

        Assert.Equal("file--364fe3e5-b1f4-5ba3-b951-ee5983b3538d", ScoId.Compute(both));
        Assert.Equal(ScoId.Compute(both), ScoId.Compute(md5Only));
        Assert.True(ScoId.IsDeterministic(both));
    }

    [Fact]
    public void Non_contributing_properties_do_not_change_the_id()
    {
        var a = Obj("""{"type":"user-account","account_login":"qrzTalker4514","account_type":"fake-app"}""");
        var b = Obj("""{"type":"user-account","account_type":"fake-app","display_name":"Ransom Service Desk","account_login":"qrzTalker4514","spec_version":"2.1"}""");

        Assert.Equal("user-account--8692770d-34f4-5681-8628-810d62dbfcb6", ScoId.Compute(a));
        Assert.Equal(ScoId.Compute(a), ScoId.Compute(b));
    }

    [Fact]
    public void Different_values_give_different_v5_ids()
    {
        var id = ScoId.Compute(Obj("""{"type":"ipv4-addr","value":"198.51.100.3"}"""))!;
        var other = ScoId.Compute(Obj("""{"type":"ipv4-addr","value":"198.51.100.4"}"""))!;

        Assert.NotEqual(id, other);
        Assert.StartsWith("ipv4-addr--", id, StringComparison.Ordinal);
        Assert.Equal('5', id["ipv4-addr--".Length + 14]);
    }

    [Fact]
    public void Process_and_objects_without_contributing_properties_have_no_deterministic_id()
    {
        Assert.Null(ScoId.Compute(Obj("""{"type":"process","pid":1221}""")));
        Assert.Null(ScoId.Compute(Obj("""{"type":"file","size":12}""")));
        Assert.Null(ScoId.Compute(Obj("""{"type":"x-custom-sco","value":"a"}""")));
        Assert.False(ScoId.IsDeterministic(Obj("""{"type":"process","id":"process--f52a906a-0dfc-40bd-92f1-e7778ead38a9","pid":1221}""")));
    }

    [Fact]
    public void A_UUIDv4_id_is_not_deterministic()
    {
        Assert.False(ScoId.IsDeterministic(Obj("""{"type":"domain-name","id":"domain-name--ecb120bf-2694-4902-a737-62b74539a41b","value":"example.com"}""")));
    }

    [Theory]
    [InlineData("file", "hashes,name,extensions,parent_directory_ref")]
    [InlineData("network-traffic", "start,end,src_ref,dst_ref,src_port,dst_port,protocols,extensions")]
    [InlineData("email-message", "from_ref,subject,body")]
    [InlineData("software", "name,cpe,swid,vendor,version")]
    [InlineData("user-account", "account_type,user_id,account_login")]
    [InlineData("windows-registry-key", "key,values")]
    [InlineData("x509-certificate", "hashes,serial_number")]
    [InlineData("artifact", "hashes,payload_bin")]
    [InlineData("autonomous-system", "number")]
    [InlineData("mutex", "name")]
    [InlineData("directory", "path")]
    [InlineData("url", "value")]
    [InlineData("process", "")]
    [InlineData("indicator", "")]
    public void Id_contributing_properties_follow_the_specification(string type, string expected)
    {
        Assert.Equal(expected, string.Join(",", ScoId.IdContributingProperties(type)));
    }

    [Fact]
    public void Every_STIX_SCO_type_has_an_entry()
    {
        var withContributing = StixTypes.CyberObservables.Where(t => ScoId.IdContributingProperties(t).Count > 0).Order(StringComparer.Ordinal);
        Assert.Equal(StixTypes.CyberObservables.Where(t => t != "process").Order(StringComparer.Ordinal), withContributing);
    }

    [Theory]
    [InlineData("""{"b":2,"a":[1,"x",true,null],"c":{"z":1.5,"y":"é\n"}}""", """{"a":[1,"x",true,null],"b":2,"c":{"y":"é\n","z":1.5}}""")]
    [InlineData("""{"n":1E3,"m":0.000001,"l":1e21,"k":-0.5}""", """{"k":-0.5,"l":1e+21,"m":0.000001,"n":1000}""")]
    [InlineData("""{"\u00e9":1,"a":2,"Z":3}""", """{"Z":3,"a":2,"é":1}""")]
    public void Canonical_json_is_RFC_8785(string input, string expected)
    {
        Assert.Equal(expected, JsonCanonicalizer.Canonicalize(JsonNode.Parse(input)));
    }

    [Fact]
    public void UuidV5_matches_the_RFC_4122_DNS_example()
    {
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org") == 886313e1-3b8a-5372-9b90-0c9aee199e5d
        Assert.Equal(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"), UuidV5.Create(new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "python.org"));
    }
}
