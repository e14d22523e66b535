using System.Text.Json.Nodes;
using ThreatGraph.Stix.Validation;

namespace ThreatGraph.Stix.Tests;

public class StixValidatorTests
{
    const string Ts = "2016-04-06T20:03:48.000Z";
    const string IdentityId = "identity--f431f809-377b-45e0-aa1c-6a4751cae5ff";
    const string MarkingId = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";

    /// <summary>A minimal valid object of every STIX 2.1 type, keyed by type.</summary>
    public static readonly Dictionary<string, string> Minimal = new()
    {
        ["attack-pattern"] = $$"""{"type":"attack-pattern","spec_version":"2.1","id":"attack-pattern--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061","created":"{{Ts}}","modified":"{{Ts}}","name":"Spear Phishing"}""",
        ["campaign"] = $$"""{"type":"campaign","spec_version":"2.1","id":"campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"{{Ts}}","modified":"{{Ts}}","name":"Green Group Attacks"}""",
        ["course-of-action"] = $$"""{"type":"course-of-action","spec_version":"2.1","id":"course-of-action--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"{{Ts}}","modified":"{{Ts}}","name":"Add TCP port 80 Filter Rule"}""",
        ["grouping"] = $$"""{"type":"grouping","spec_version":"2.1","id":"grouping--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3","created":"{{Ts}}","modified":"{{Ts}}","context":"suspicious-activity","object_refs":["indicator--26ffb872-1dd9-446e-b6f5-d58527e5b5d2"]}""",
        ["identity"] = $$"""{"type":"identity","spec_version":"2.1","id":"{{IdentityId}}","created":"{{Ts}}","modified":"{{Ts}}","name":"ACME"}""",
        ["incident"] = $$"""{"type":"incident","spec_version":"2.1","id":"incident--b754abee-6de5-4b4e-8125-8dab1ca199fe","created":"{{Ts}}","modified":"{{Ts}}","name":"Ransomware"}""",
        ["indicator"] = $$"""{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"{{Ts}}","modified":"{{Ts}}","pattern":"[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']","pattern_type":"stix","valid_from":"2016-01-01T00:00:00Z"}""",
        ["infrastructure"] = $$"""{"type":"infrastructure","spec_version":"2.1","id":"infrastructure--38c47d93-d984-4fd9-b87b-d69d0841628d","created":"{{Ts}}","modified":"{{Ts}}","name":"Poison Ivy C2"}""",
        ["intrusion-set"] = $$"""{"type":"intrusion-set","spec_version":"2.1","id":"intrusion-set--4e78f46f-a023-4e5f-bc24-71b3ca22ec29","created":"{{Ts}}","modified":"{{Ts}}","name":"Bobcat Breakin"}""",
        ["location"] = $$"""{"type":"location","spec_version":"2.1","id":"location--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64","created":"{{Ts}}","modified":"{{Ts}}","region":"south-eastern-asia"}""",
        ["malware"] = $$"""{"type":"malware","spec_version":"2.1","id":"malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b","created":"{{Ts}}","modified":"{{Ts}}","is_family":false}""",
        ["malware-analysis"] = $$"""{"type":"malware-analysis","spec_version":"2.1","id":"malware-analysis--d25167b7-fed0-4068-9ccd-a73dd2c5b07c","created":"{{Ts}}","modified":"{{Ts}}","product":"microsoft","result":"malicious"}""",
        ["note"] = $$"""{"type":"note","spec_version":"2.1","id":"note--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061","created":"{{Ts}}","modified":"{{Ts}}","content":"text","object_refs":["campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"]}""",
        ["observed-data"] = $$"""{"type":"observed-data","spec_version":"2.1","id":"observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf","created":"{{Ts}}","modified":"{{Ts}}","first_observed":"2015-12-21T19:00:00Z","last_observed":"2015-12-21T19:00:00Z","number_observed":50,"object_refs":["ipv4-addr--efcd5e80-570d-4131-b213-62cb18eaa6a8"]}""",
        ["opinion"] = $$"""{"type":"opinion","spec_version":"2.1","id":"opinion--b01efc25-77b4-4003-b18b-f6e24b5cd9f7","created":"{{Ts}}","modified":"{{Ts}}","opinion":"strongly-disagree","object_refs":["relationship--16d2358f-3b0d-4c88-b047-0da2f7ed4471"]}""",
        ["report"] = $$"""{"type":"report","spec_version":"2.1","id":"report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3","created":"{{Ts}}","modified":"{{Ts}}","name":"The Black Vine Cyberespionage Group","published":"2016-01-20T17:00:00.000Z","object_refs":["indicator--26ffb872-1dd9-446e-b6f5-d58527e5b5d2"]}""",
        ["threat-actor"] = $$"""{"type":"threat-actor","spec_version":"2.1","id":"threat-actor--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"{{Ts}}","modified":"{{Ts}}","name":"Evil Org"}""",
        ["tool"] = $$"""{"type":"tool","spec_version":"2.1","id":"tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"{{Ts}}","modified":"{{Ts}}","name":"VNC"}""",
        ["vulnerability"] = $$"""{"type":"vulnerability","spec_version":"2.1","id":"vulnerability--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061","created":"{{Ts}}","modified":"{{Ts}}","name":"CVE-2016-1234"}""",
        ["relationship"] = $$"""{"type":"relationship","spec_version":"2.1","id":"relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad","created":"{{Ts}}","modified":"{{Ts}}","relationship_type":"indicates","source_ref":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","target_ref":"malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b"}""",
        ["sighting"] = $$"""{"type":"sighting","spec_version":"2.1","id":"sighting--ee20065d-2555-424f-ad9e-0f8428623c75","created":"{{Ts}}","modified":"{{Ts}}","sighting_of_ref":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}""",
        ["artifact"] = """{"type":"artifact","id":"artifact--6f437177-6e48-5cf8-9d9e-872a2bddd641","payload_bin":"VBORw0KGgoAAAANSUhEUgAAADI="}""",
        ["autonomous-system"] = """{"type":"autonomous-system","id":"autonomous-system--f720c34b-98ae-597f-ade5-27dc241e8c74","number":15139}""",
        ["directory"] = """{"type":"directory","id":"directory--93c0a9b0-520d-545d-9094-1a08ddf46b05","path":"C:\\Windows\\System32"}""",
        ["domain-name"] = """{"type":"domain-name","id":"domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5","value":"example.com"}""",
        ["email-addr"] = """{"type":"email-addr","id":"email-addr--2d77a846-6264-5d51-b586-e43822ea1ea3","value":"john@example.com"}""",
        ["email-message"] = """{"type":"email-message","id":"email-message--cf9b4b7f-14c8-5955-8065-020e0316b559","is_multipart":false}""",
        ["file"] = """{"type":"file","id":"file--364fe3e5-b1f4-5ba3-b951-ee5983b3538d","name":"resume.pdf"}""",
        ["ipv4-addr"] = """{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"}""",
        ["ipv6-addr"] = """{"type":"ipv6-addr","id":"ipv6-addr--1e61d36c-a16c-53b7-a80f-2a00161c96b1","value":"2001:0db8::/96"}""",
        ["mac-addr"] = """{"type":"mac-addr","id":"mac-addr--65cfcf98-8a6e-5a1b-8f61-379ac4f92d00","value":"d2:fb:49:24:37:18"}""",
        ["mutex"] = """{"type":"mutex","id":"mutex--eba44954-d4e4-5d3b-814c-2b17dd8de300","name":"__CLEANSWEEP__"}""",
        ["network-traffic"] = """{"type":"network-traffic","id":"network-traffic--2568d22a-8998-58eb-99ec-3c8ca74f527d","dst_ref":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","protocols":["tcp"]}""",
        ["process"] = """{"type":"process","id":"process--f52a906a-0dfc-40bd-92f1-e7778ead38a9","pid":1221}""",
        ["software"] = """{"type":"software","id":"software--a1827f6d-ca53-5605-9e93-4316cd22a00a","name":"Word"}""",
        ["url"] = """{"type":"url","id":"url--c1477287-23ac-5971-a010-5c287877fa60","value":"https://example.com/research/index.html"}""",
        ["user-account"] = """{"type":"user-account","id":"user-account--0d5b424b-93b8-5cd8-ac36-306e1789d63c","user_id":"1001"}""",
        ["windows-registry-key"] = """{"type":"windows-registry-key","id":"windows-registry-key--2ba37ae7-2745-5082-9dfd-9486dad41016","key":"hkey_local_machine\\system\\bar\\foo"}""",
        ["x509-certificate"] = """{"type":"x509-certificate","id":"x509-certificate--463d7b2a-8516-5a50-a3d7-6f801465d5de","serial_number":"36:f7:d4:32:f4:ab:70:ea:d3:ce:98:6e:ea:99:93:49:32:0a:b7:06"}""",
        ["marking-definition"] = """{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","definition":{"tlp":"green"}}""",
        ["language-content"] = $$$$"""{"type":"language-content","spec_version":"2.1","id":"language-content--b86bd89f-98bb-4fa9-8cb2-9ad421da981d","created":"{{{{Ts}}}}","modified":"{{{{Ts}}}}","object_ref":"campaign--12a111f0-b824-4baf-a224-83b80237a094","object_modified":"2017-02-08T21:31:22.007Z","contents":{"de":{"name":"Bank Angriff 1"}}}""",
        ["extension-definition"] = $$"""{"type":"extension-definition","spec_version":"2.1","id":"extension-definition--9c59fd79-4215-4ba2-920d-3e4f320e1e62","created_by_ref":"{{IdentityId}}","created":"{{Ts}}","modified":"{{Ts}}","name":"New SDO 1","schema":"https://www.example.com/schema-my-favorite-sdo-1/v1/","version":"1.2.1","extension_types":["new-sdo"]}""",
    };

    static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json)!;

    static JsonObject With(string type, Action<JsonObject> change)
    {
        var o = Obj(Minimal[type]);
        change(o);
        return o;
    }

    static IReadOnlyList<StixIssue> Errors(JsonObject o, string basePath = "$") =>
        StixValidator.Validate(o, basePath).Where(i => i.Severity == IssueSeverity.Error).ToArray();

    static IReadOnlyList<StixIssue> Warnings(JsonObject o) =>
        StixValidator.Validate(o).Where(i => i.Severity == IssueSeverity.Warning).ToArray();

    static StixIssue SingleError(JsonObject o, string basePath = "$") => Assert.Single(Errors(o, basePath));

    public static TheoryData<string> AllTypes() => new(Minimal.Keys);

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Minimal_object_of_every_type_is_valid(string type)
    {
        Assert.Empty(Errors(Obj(Minimal[type])));
    }

    [Fact]
    public void Minimal_objects_cover_every_STIX_2_1_type()
    {
        Assert.Equal(SpecProperties.SpecTypes.Order(StringComparer.Ordinal), Minimal.Keys.Order(StringComparer.Ordinal));
    }

    public static TheoryData<string, string> RequiredProperties()
    {
        var data = new TheoryData<string, string>();
        var required = new Dictionary<string, string[]>
        {
            ["attack-pattern"] = ["name"], ["campaign"] = ["name"], ["course-of-action"] = ["name"],
            ["grouping"] = ["context", "object_refs"], ["identity"] = ["name"], ["incident"] = ["name"],
            ["indicator"] = ["pattern", "pattern_type", "valid_from"], ["infrastructure"] = ["name"],
            ["intrusion-set"] = ["name"], ["malware"] = ["is_family"], ["malware-analysis"] = ["product"],
            ["note"] = ["content", "object_refs"],
            ["observed-data"] = ["first_observed", "last_observed", "number_observed", "object_refs"],
            ["opinion"] = ["opinion", "object_refs"], ["report"] = ["name", "published", "object_refs"],
            ["threat-actor"] = ["name"], ["tool"] = ["name"], ["vulnerability"] = ["name"],
            ["relationship"] = ["relationship_type", "source_ref", "target_ref"], ["sighting"] = ["sighting_of_ref"],
            ["autonomous-system"] = ["number"], ["directory"] = ["path"], ["domain-name"] = ["value"],
            ["email-addr"] = ["value"], ["email-message"] = ["is_multipart"], ["ipv4-addr"] = ["value"],
            ["ipv6-addr"] = ["value"], ["mac-addr"] = ["value"], ["mutex"] = ["name"], ["network-traffic"] = ["protocols"],
            ["software"] = ["name"], ["url"] = ["value"],
            ["language-content"] = ["object_ref", "object_modified", "contents"],
            ["extension-definition"] = ["created_by_ref", "name", "schema", "version", "extension_types"],
        };
        foreach (var (type, props) in required)
        {
            foreach (var p in props)
            {
                data.Add(type, p);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RequiredProperties))]
    public void Missing_required_property_is_an_error_at_its_path(string type, string property)
    {
        var o = With(type, x => x.Remove(property));

        var error = SingleError(o, "$.objects[4]");

        Assert.Equal("$.objects[4]." + property, error.Path);
        Assert.Equal(o["id"]!.GetValue<string>(), error.ObjectId);
        Assert.Equal($"required property '{property}' is missing (required on {type})", error.Message);
    }

    [Theory]
    [InlineData("location", "region", "$", "location must have at least one of 'region', 'country', or 'latitude' and 'longitude'")]
    [InlineData("file", "name", "$", "file must have at least one of 'hashes' and 'name'")]
    [InlineData("network-traffic", "dst_ref", "$", "network-traffic must have at least one of 'src_ref' and 'dst_ref'")]
    [InlineData("artifact", "payload_bin", "$", "artifact must have exactly one of 'payload_bin' and 'url'")]
    [InlineData("malware-analysis", "result", "$.result", "malware-analysis must have 'result' or 'analysis_sco_refs' (or both)")]
    [InlineData("process", "pid", "$", "process must have at least one property of its own besides the common ones")]
    [InlineData("user-account", "user_id", "$", "user-account must have at least one property of its own besides the common ones")]
    [InlineData("marking-definition", "definition", "$.definition", "'definition_type' and 'definition' must be present together")]
    public void One_of_requirements(string type, string remove, string path, string message)
    {
        var error = SingleError(With(type, x => x.Remove(remove)));
        Assert.Equal((path, message), (error.Path, error.Message));
    }

    [Theory]
    [InlineData("created")]
    [InlineData("modified")]
    [InlineData("spec_version")]
    public void SDO_common_properties_are_required(string property)
    {
        var error = SingleError(With("identity", x => x.Remove(property)));
        Assert.Equal("$." + property, error.Path);
        Assert.StartsWith($"required property '{property}' is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SCOs_need_neither_spec_version_nor_created()
    {
        var o = With("ipv4-addr", x => x.Remove("spec_version"));
        o["id"] = Identifiers.ScoId.Compute(o);
        Assert.Empty(StixValidator.Validate(o));
    }

    [Fact]
    public void SCO_with_a_random_id_is_warned_to_use_the_deterministic_one()
    {
        var o = Obj("""{"type":"ipv4-addr","id":"ipv4-addr--efcd5e80-570d-4131-b213-62cb18eaa6a8","value":"198.51.100.3"}""");
        var warning = Assert.Single(StixValidator.Validate(o));
        Assert.Equal((IssueSeverity.Warning, "$.id", $"SCOs should use a deterministic UUIDv5 id; from its ID Contributing Properties this one would be '{Identifiers.ScoId.Compute(o)}'"),
            (warning.Severity, warning.Path, warning.Message));
    }

    [Theory]
    [InlineData("2.0", "spec_version '2.0' is not supported: this validator accepts STIX 2.1 content only")]
    [InlineData("2.2", "spec_version '2.2' is not supported: this validator accepts STIX 2.1 content only")]
    public void Spec_version_must_be_2_1(string version, string message)
    {
        var error = SingleError(With("tool", x => x["spec_version"] = version));
        Assert.Equal(("$.spec_version", message), (error.Path, error.Message));
    }

    [Fact]
    public void Missing_type_and_id_are_errors()
    {
        var errors = Errors(With("tool", x => { x.Remove("type"); x.Remove("id"); }));
        Assert.Contains(errors, e => e.Path == "$.type" && e.Message == "required property 'type' is missing");
        Assert.Contains(errors, e => e.Path == "$.id" && e.Message == "required property 'id' is missing");
    }

    [Theory]
    [InlineData("Tool", "type 'Tool' is invalid: it must be 3-250 characters of lowercase a-z, 0-9 and single inner hyphens")]
    [InlineData("to", "type 'to' is invalid: it must be 3-250 characters of lowercase a-z, 0-9 and single inner hyphens")]
    [InlineData("x_tool", "type 'x_tool' is invalid: it must be 3-250 characters of lowercase a-z, 0-9 and single inner hyphens")]
    public void Bad_type_names_are_errors(string type, string message)
    {
        var errors = Errors(With("tool", x => x["type"] = type));
        Assert.Contains(errors, e => e.Path == "$.type" && e.Message == message);
    }

    [Theory]
    [InlineData("tool--8e2e2d2b-17d4-4cbf-938f", "id 'tool--8e2e2d2b-17d4-4cbf-938f' is not of the form <type>--<RFC 4122 UUID>")]
    [InlineData("tool-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "id 'tool-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' is not of the form <type>--<RFC 4122 UUID>")]
    [InlineData("tool--8e2e2d2b-17d4-4cbf-c38f-98ee46b3cd3f", "id 'tool--8e2e2d2b-17d4-4cbf-c38f-98ee46b3cd3f' is not of the form <type>--<RFC 4122 UUID>")]
    [InlineData("malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "id 'malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' starts with 'malware' but the object's type is 'tool'")]
    public void Bad_ids_are_errors(string id, string message)
    {
        var error = SingleError(With("tool", x => x["id"] = id));
        Assert.Equal(("$.id", message, id), (error.Path, error.Message, error.ObjectId));
    }

    [Fact]
    public void Non_v4_SDO_id_is_a_warning()
    {
        var o = With("tool", x => x["id"] = "tool--1621d4d4-b67d-11e3-9670-f01faf20d111");
        Assert.Empty(Errors(o));
        Assert.Equal("id 'tool--1621d4d4-b67d-11e3-9670-f01faf20d111' uses a version 1 UUID; SDOs, SROs and meta objects should use UUIDv4", Assert.Single(Warnings(o)).Message);
    }

    [Fact]
    public void Modified_before_created_is_an_error()
    {
        var error = SingleError(With("identity", x => x["modified"] = "2015-04-06T20:03:48.000Z"));
        Assert.Equal(("$.modified", "'modified' (2015-04-06T20:03:48.000Z) must not be earlier than 'created' (2016-04-06T20:03:48.000Z)"), (error.Path, error.Message));
    }

    [Theory]
    [InlineData("2022-101-27T13:49:54.326Z", "'created' value '2022-101-27T13:49:54.326Z' is not a valid STIX timestamp: the date part '2022-101-27' is not YYYY-MM-DD")]
    [InlineData("2016-04-06T20:03:48.000+01:00", "'created' value '2016-04-06T20:03:48.000+01:00' is not a valid STIX timestamp: it must be in UTC and end with 'Z' (RFC 3339, e.g. 2016-05-12T08:17:27.000Z)")]
    [InlineData("2016-02-30T20:03:48.000Z", "'created' value '2016-02-30T20:03:48.000Z' is not a valid STIX timestamp: the date '2016-02-30' does not exist")]
    [InlineData("2016-04-06 20:03:48.000Z", "'created' value '2016-04-06 20:03:48.000Z' is not a valid STIX timestamp: there is no 'T' between the date and the time (RFC 3339, e.g. 2016-05-12T08:17:27.000Z)")]
    [InlineData("2016-04-06T25:03:48.000Z", "'created' value '2016-04-06T25:03:48.000Z' is not a valid STIX timestamp: the time '25:03:48.000' is out of range or has more than 7 fractional digits")]
    [InlineData("2016-04-06T20:03:48Z", "'created' value '2016-04-06T20:03:48Z' must be precise to the millisecond (at least 3 fractional-second digits)")]
    public void Bad_timestamps_are_errors_with_a_specific_message(string created, string message)
    {
        var o = With("identity", x => { x["created"] = created; x.Remove("modified"); x["modified"] = "2017-01-01T00:00:00.000Z"; });
        var error = SingleError(o);
        Assert.Equal(("$.created", message), (error.Path, error.Message));
    }

    [Fact]
    public void Indicator_valid_until_must_be_after_valid_from()
    {
        var same = SingleError(With("indicator", x => x["valid_until"] = "2016-01-01T00:00:00Z"));
        var before = SingleError(With("indicator", x => x["valid_until"] = "2015-01-01T00:00:00Z"));

        Assert.Equal(("$.valid_until", "'valid_until' (2016-01-01T00:00:00Z) must be later than 'valid_from' (2016-01-01T00:00:00Z)"), (same.Path, same.Message));
        Assert.Equal("$.valid_until", before.Path);
        Assert.Empty(Errors(With("indicator", x => x["valid_until"] = "2016-01-01T00:00:00.001Z")));
    }

    [Fact]
    public void Observed_data_and_sighting_time_windows_and_counts()
    {
        Assert.Equal("$.last_observed", SingleError(With("observed-data", x => x["last_observed"] = "2015-12-21T18:00:00Z")).Path);
        Assert.Equal(("$.number_observed", "'number_observed' must be an integer from 1 to 999999999"),
            SingleError(With("observed-data", x => x["number_observed"] = 0)) is var e ? (e.Path, e.Message) : default);
        Assert.Equal("$.count", SingleError(With("sighting", x => x["count"] = -1)).Path);
        Assert.Equal("$.last_seen", SingleError(With("sighting", x => { x["first_seen"] = "2016-01-01T00:00:00Z"; x["last_seen"] = "2015-01-01T00:00:00Z"; })).Path);
    }

    [Fact]
    public void Observed_data_objects_is_deprecated_and_exclusive_with_object_refs()
    {
        var both = SingleError(With("observed-data", x => x["objects"] = new JsonObject { ["0"] = new JsonObject { ["type"] = "ipv4-addr", ["value"] = "1.2.3.4" } }));
        Assert.Equal(("$.objects", "observed-data must not have both 'objects' and 'object_refs'"), (both.Path, both.Message));

        var legacy = With("observed-data", x => { x.Remove("object_refs"); x["objects"] = new JsonObject { ["0"] = new JsonObject { ["type"] = "ipv4-addr", ["value"] = "1.2.3.4" } }; });
        Assert.Empty(Errors(legacy));
        Assert.Equal("$.objects", Assert.Single(Warnings(legacy)).Path);
    }

    [Fact]
    public void Malware_family_needs_a_name()
    {
        var error = SingleError(With("malware", x => x["is_family"] = true));
        Assert.Equal(("$.name", "required property 'name' is missing (a malware family, is_family true, must have a name)"), (error.Path, error.Message));
    }

    [Theory]
    [InlineData("identity", "created_by_ref", "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b", "$.created_by_ref", "'created_by_ref' must reference identity, not a malware ('malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b')")]
    [InlineData("sighting", "sighting_of_ref", "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd", "$.sighting_of_ref", "'sighting_of_ref' must reference an SDO, not a ipv4-addr ('ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd')")]
    [InlineData("relationship", "target_ref", MarkingId, "$.target_ref", "'target_ref' must reference an SDO or SCO (not relationship, sighting, bundle, language-content, marking-definition, extension-definition), not a marking-definition ('" + MarkingId + "')")]
    [InlineData("relationship", "source_ref", "sighting--ee20065d-2555-424f-ad9e-0f8428623c75", "$.source_ref", "'source_ref' must reference an SDO or SCO (not relationship, sighting, bundle, language-content, marking-definition, extension-definition), not a sighting ('sighting--ee20065d-2555-424f-ad9e-0f8428623c75')")]
    [InlineData("network-traffic", "dst_ref", "url--c1477287-23ac-5971-a010-5c287877fa60", "$.dst_ref", "'dst_ref' must reference ipv4-addr or ipv6-addr or mac-addr or domain-name, not a url ('url--c1477287-23ac-5971-a010-5c287877fa60')")]
    [InlineData("identity", "created_by_ref", "identity--not-a-uuid", "$.created_by_ref", "'created_by_ref' value 'identity--not-a-uuid' is not a valid identifier (<type>--<RFC 4122 UUID>)")]
    public void Single_references_of_the_wrong_type_are_errors(string type, string property, string value, string path, string message)
    {
        var error = SingleError(With(type, x => x[property] = value));
        Assert.Equal((path, message), (error.Path, error.Message));
    }

    [Theory]
    [InlineData("identity", "object_marking_refs", IdentityId, "'object_marking_refs' must reference marking-definition, not a identity ('" + IdentityId + "')")]
    [InlineData("sighting", "where_sighted_refs", "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b", "'where_sighted_refs' must reference identity or location, not a malware ('malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b')")]
    [InlineData("sighting", "observed_data_refs", "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "'observed_data_refs' must reference observed-data, not a indicator ('indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')")]
    [InlineData("report", "object_refs", "nonsense", "'object_refs' value 'nonsense' is not a valid identifier (<type>--<RFC 4122 UUID>)")]
    [InlineData("observed-data", "object_refs", "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "'object_refs' must reference an SCO or an SRO, not a indicator ('indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')")]
    public void List_references_name_the_offending_index(string type, string property, string bad, string message)
    {
        var o = With(type, x => x[property] = new JsonArray(
            property == "object_marking_refs" ? MarkingId : property == "where_sighted_refs" ? IdentityId : property == "observed_data_refs" ? "observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf" : property == "object_refs" && type == "observed-data" ? "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd" : "indicator--26ffb872-1dd9-446e-b6f5-d58527e5b5d2",
            property == "object_marking_refs" ? MarkingId : property == "where_sighted_refs" ? IdentityId : property == "observed_data_refs" ? "observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf" : property == "object_refs" && type == "observed-data" ? "relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad" : "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b",
            bad));

        var error = SingleError(o);

        Assert.Equal(($"$.{property}[2]", message), (error.Path, error.Message));
    }

    [Fact]
    public void Granular_marking_ref_must_point_at_a_marking_definition()
    {
        var o = With("indicator", x => x["granular_markings"] = JsonNode.Parse($$"""[{"selectors":["description"],"marking_ref":"{{MarkingId}}"},{"selectors":["name"],"marking_ref":"{{IdentityId}}"}]"""));
        var error = SingleError(o);
        Assert.Equal("$.granular_markings[1].marking_ref", error.Path);
    }

    [Fact]
    public void Granular_marking_needs_selectors_and_exactly_one_of_marking_ref_and_lang()
    {
        var errors = Errors(With("indicator", x => x["granular_markings"] = JsonNode.Parse($$"""[{"marking_ref":"{{MarkingId}}","lang":"en"}]""")));
        Assert.Equal(["$.granular_markings[0].selectors", "$.granular_markings[0]"], errors.Select(e => e.Path));
    }

    [Fact]
    public void Custom_reference_property_that_is_not_an_id_is_only_a_warning()
    {
        // ATT&CK's deprecated x-mitre-data-component objects carry "x_mitre_data_source_ref": "".
        var o = With("tool", x => x["x_mitre_data_source_ref"] = "");
        Assert.Empty(Errors(o));
        var warning = Assert.Single(Warnings(o));
        Assert.Equal(("$.x_mitre_data_source_ref", "custom reference property 'x_mitre_data_source_ref' value '' is not an identifier (<type>--<UUID>)"), (warning.Path, warning.Message));
    }

    [Theory]
    [InlineData("Foo", true)]
    [InlineData("fo", true)]
    [InlineData("foo-bar", true)]
    [InlineData("foo", false)]
    [InlineData("foo_value", false)]
    public void Custom_property_names(string name, bool isError)
    {
        var o = With("tool", x => x[name] = "bizz");
        var issue = Assert.Single(StixValidator.Validate(o));

        Assert.Equal("$." + name, issue.Path);
        if (isError)
        {
            Assert.Equal(IssueSeverity.Error, issue.Severity);
            Assert.Equal($"property name '{name}' is invalid: custom property names must be 3-250 characters of lowercase a-z, 0-9 and '_'", issue.Message);
        }
        else
        {
            Assert.Equal(IssueSeverity.Warning, issue.Severity);
            Assert.Equal($"'{name}' is not a tool property of STIX 2.1; custom properties should start with 'x_' (or be defined by an extension)", issue.Message);
        }
    }

    [Fact]
    public void X_prefixed_custom_properties_are_clean()
    {
        Assert.Empty(StixValidator.Validate(With("tool", x => x["x_acme_org_score"] = 10)));
    }

    [Fact]
    public void Toplevel_property_extension_properties_are_not_custom()
    {
        var o = With("tool", x =>
        {
            x["extensions"] = JsonNode.Parse("""{"extension-definition--a932fcc6-e032-476c-826f-cb970a5a1ade":{"extension_type":"toplevel-property-extension"}}""");
            x["toxicity"] = 8;
        });
        Assert.Empty(StixValidator.Validate(o));
    }

    [Fact]
    public void Custom_object_type_with_common_properties_is_accepted()
    {
        var o = Obj($$"""{"type":"x-mitre-tactic","spec_version":"2.1","id":"x-mitre-tactic--298fe907-7931-4fd2-8131-2814dd493134","created":"{{Ts}}","modified":"{{Ts}}","name":"Inhibit Response Function","x_mitre_shortname":"inhibit-response-function"}""");
        Assert.Empty(StixValidator.Validate(o));
        Assert.Equal("$.created", SingleError(With2(o, x => x.Remove("created"))).Path);
    }

    static JsonObject With2(JsonObject o, Action<JsonObject> change)
    {
        var copy = (JsonObject)o.DeepClone();
        change(copy);
        return copy;
    }

    [Fact]
    public void Extension_defined_new_sdo_is_accepted_and_an_unknown_type_without_it_is_warned()
    {
        var task = Obj($$$$"""{"type":"task","spec_version":"2.1","id":"task--8824b710-60eb-4e00-9e1e-e1b4a40c9a62","created":"{{{{Ts}}}}","modified":"{{{{Ts}}}}","outcome":"successful","extensions":{"extension-definition--2074a052-8be4-4932-849e-f5e7798e0030":{"extension_type":"new-sdo"}}}""");
        Assert.Empty(StixValidator.Validate(task));

        var bare = With2(task, x => x.Remove("extensions"));
        Assert.Empty(Errors(bare));
        Assert.Equal("$.type", Assert.Single(Warnings(bare)).Path);
    }

    [Fact]
    public void Extension_defined_new_sco_needs_no_created()
    {
        var sco = Obj("""{"type":"cryptocurrency-wallet","id":"cryptocurrency-wallet--f59da1b8-9aac-4cb8-b9a6-6f2b0a0b7a23","value":"1Ax","extensions":{"extension-definition--be78509e-6958-51b1-8b26-d17ee0eba2d7":{"extension_type":"new-sco"}}}""");
        Assert.Empty(StixValidator.Validate(sco));
    }

    [Fact]
    public void New_sdo_extension_on_a_STIX_type_is_an_error()
    {
        var error = SingleError(With("tool", x => x["extensions"] = JsonNode.Parse("""{"extension-definition--2074a052-8be4-4932-849e-f5e7798e0030":{"extension_type":"new-sdo"}}""")));
        Assert.Equal("$.extensions['extension-definition--2074a052-8be4-4932-849e-f5e7798e0030'].extension_type", error.Path);
    }

    [Fact]
    public void Extension_definition_extension_needs_extension_type()
    {
        var error = SingleError(With("tool", x => x["extensions"] = JsonNode.Parse("""{"extension-definition--2074a052-8be4-4932-849e-f5e7798e0030":{"rank":5}}""")));
        Assert.Equal(("$.extensions['extension-definition--2074a052-8be4-4932-849e-f5e7798e0030'].extension_type", "an extension defined by an extension-definition must say its 'extension_type'"), (error.Path, error.Message));
    }

    [Fact]
    public void Empty_lists_are_errors()
    {
        var errors = Errors(With("tool", x => x["aliases"] = new JsonArray()));
        Assert.Equal(("$.aliases", "'aliases' is an empty list; STIX prohibits empty lists (omit the property instead)"), (errors[0].Path, errors[0].Message));
    }

    [Fact]
    public void Confidence_and_external_references_and_kill_chain_phases()
    {
        Assert.Equal("$.confidence", SingleError(With("tool", x => x["confidence"] = 101)).Path);
        Assert.Equal(("$.external_references[0].source_name", "external reference without the required 'source_name'"),
            SingleError(With("tool", x => x["external_references"] = JsonNode.Parse("""[{"url":"https://example.com"}]"""))) is var e ? (e.Path, e.Message) : default);
        Assert.Equal("$.external_references[0]", SingleError(With("tool", x => x["external_references"] = JsonNode.Parse("""[{"source_name":"acme"}]"""))).Path);
        Assert.Equal("$.kill_chain_phases[0].phase_name", SingleError(With("tool", x => x["kill_chain_phases"] = JsonNode.Parse("""[{"kill_chain_name":"lockheed-martin-cyber-kill-chain"}]"""))).Path);
    }

    [Fact]
    public void Relationship_type_characters()
    {
        var error = SingleError(With("relationship", x => x["relationship_type"] = "Indicates"));
        Assert.Equal(("$.relationship_type", "relationship_type 'Indicates' must only contain a-z, 0-9 and '-'"), (error.Path, error.Message));
    }

    [Fact]
    public void Open_vocabulary_values_outside_the_vocabulary_are_warnings()
    {
        var o = With("tool", x => x["tool_types"] = new JsonArray("remote-access", "teleporter"));
        Assert.Empty(Errors(o));
        var w = Assert.Single(Warnings(o));
        Assert.Equal(("$.tool_types[1]", "'teleporter' is not in the open vocabulary for tool.tool_types"), (w.Path, w.Message));
    }

    [Fact]
    public void Hash_algorithms_outside_the_vocabulary_are_warnings()
    {
        var o = With("file", x => x["hashes"] = JsonNode.Parse("""{"SHA224":"5d6dc524ce96b1bb5e96d8dc116ff53b457ffb7f16afd9019a0dd8e9"}"""));
        Assert.Empty(Errors(o));
        Assert.Contains(Warnings(o), w => w.Path == "$.hashes['SHA224']");
    }

    [Fact]
    public void Official_TLP_2_marking_must_carry_its_own_level()
    {
        var tlpGreen = Obj("""{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb","created":"2022-10-01T00:00:00.000Z","name":"TLP:GREEN","extensions":{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":{"extension_type":"property-extension","tlp_2_0":"green"}}}""");
        Assert.Empty(StixValidator.Validate(tlpGreen));

        var wrong = With2(tlpGreen, x => x["extensions"]!["extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"]!["tlp_2_0"] = "red");
        var error = SingleError(wrong);
        Assert.Equal("'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb' is the official TLP:GREEN marking but says tlp_2_0 'red'", error.Message);

        var stripped = With2(tlpGreen, x => x.Remove("extensions"));
        Assert.Contains(Errors(stripped), e => e.Path == "$.extensions");
    }

    [Fact]
    public void Statement_and_TLP_1_markings()
    {
        var statement = Obj("""{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168","created":"2017-06-01T00:00:00.000Z","definition_type":"statement","definition":{"statement":"Copyright MITRE"}}""");
        Assert.Empty(StixValidator.Validate(statement));
        Assert.Equal("$.definition.statement", SingleError(With2(statement, x => x["definition"] = new JsonObject { ["text"] = "x" })).Path);

        var wrongTlp1Id = With("marking-definition", x => x["definition"] = new JsonObject { ["tlp"] = "red" });
        Assert.Equal(("$.id", "the TLP:RED marking-definition must have the id 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed' fixed by STIX 2.1"),
            SingleError(wrongTlp1Id) is var e ? (e.Path, e.Message) : default);
    }

    [Fact]
    public void Indicator_with_a_STIX_pattern_that_parses_is_clean()
    {
        Assert.Empty(StixValidator.Validate(Obj(Minimal["indicator"])));
    }

    [Fact]
    public void Numbers_built_in_code_are_read_like_parsed_ones()
    {
        var o = With("observed-data", x => x["number_observed"] = 5);
        o["confidence"] = 90;
        Assert.Empty(Errors(o));

        var asn = new JsonObject { ["type"] = "autonomous-system", ["number"] = 15139 };
        var parsed = Obj("""{"type":"autonomous-system","number":15139}""");
        Assert.Equal(Identifiers.ScoId.Compute(parsed), Identifiers.ScoId.Compute(asn));
    }

    [Fact]
    public void Wrongly_typed_values_are_errors_not_exceptions()
    {
        var o = Obj("""{"type":7,"id":["x"],"spec_version":2.1,"created":1,"modified":null,"object_marking_refs":"x","extensions":[],"granular_markings":{},"external_references":"x"}""");
        var errors = Errors(o);
        Assert.Equal(
            [
                "$.type: 'type' must be a string",
                "$.id: 'id' must be a string",
                "$.spec_version: 'spec_version' must be the string \"2.1\"",
                "$.modified: 'modified' is null; STIX has no null values (omit the property instead)",
                "$.extensions: 'extensions' is an empty list; STIX prohibits empty lists (omit the property instead)",
                "$.external_references: 'external_references' must be a list of external-reference objects",
                "$.granular_markings: 'granular_markings' must be a list of granular-marking objects",
                "$.extensions: 'extensions' must be a non-empty dictionary",
                "$.created: 'created' must be a timestamp string",
                "$.modified: 'modified' must be a timestamp string",
                "$.object_marking_refs: 'object_marking_refs' must be a list of identifiers",
            ],
            errors.Select(e => $"{e.Path}: {e.Message}"));
    }

    [Fact]
    public void Paths_extend_the_base_path()
    {
        var error = SingleError(With("report", x => x["published"] = "yesterday"), "$.objects[7]");
        Assert.Equal("$.objects[7].published", error.Path);
        Assert.Equal("report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3", error.ObjectId);
    }
}
