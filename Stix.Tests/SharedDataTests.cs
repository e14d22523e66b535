using System.Text.Json.Nodes;
using ThreatGraph.Stix.Validation;

namespace ThreatGraph.Stix.Tests;

/// <summary>The validator against the shared public data: OASIS validator fixtures, ATT&amp;CK, OASIS examples, feeds, MISP, TLP 2.0.</summary>
public class SharedDataTests
{
    const string V21 = "stix-validator-examples/v21/";

    static string Describe(IEnumerable<StixIssue> issues) => string.Join("\n", issues);

    [Fact]
    public void Shared_data_is_found_beside_the_repository()
    {
        Assert.True(File.Exists(SharedData.PathOf("README.md")), SharedData.Root);
        Assert.Equal("data", new DirectoryInfo(SharedData.Root).Name);
        Assert.Equal("shared", new DirectoryInfo(SharedData.Root).Parent!.Name);
    }

    [Theory]
    [InlineData("invalid_braces.json", 1, 1, "'<' is an invalid start of a value.")]
    [InlineData("invalid_comma.json", 9, 1, "The JSON object contains a trailing comma at the end which is not supported in this mode. Change the reader options.")]
    public void Malformed_validator_examples_are_rejected_with_line_and_column(string file, long line, long column, string message)
    {
        var e = Assert.Throws<StixJsonException>(() => SharedData.ReadBundle(V21 + file));
        Assert.Equal((line, column), (e.Line, e.Column));
        Assert.Equal($"Malformed JSON at line {line}, column {column}: {message}", e.Message);
    }

    [Theory]
    [InlineData("invalid_identity.json", "$.modified", "required property 'modified' is missing")]
    [InlineData("invalid_timestamp.json", "$.modified", "'modified' (2015-08-08T15:50:10.983Z) must not be earlier than 'created' (2016-08-08T15:50:10.983Z)")]
    public void Invalid_validator_examples_are_rejected_with_a_specific_message(string file, string path, string message)
    {
        var bundle = SharedData.ReadBundle(V21 + file);
        var error = Assert.Single(SharedData.Errors(SharedData.ValidateAll(bundle)));
        Assert.Equal(("identity--8c6af861-7b20-41ef-9b59-6344fd872a8f", path, message), (error.ObjectId, error.Path, error.Message));
    }

    [Theory]
    [InlineData("identity.json")]
    [InlineData("identity_unicode.json")]
    [InlineData("identity_warning.json")]
    [InlineData("tlp-amber.json")]
    public void Valid_validator_examples_are_clean(string file)
    {
        Assert.Empty(SharedData.ValidateAll(SharedData.ReadBundle(V21 + file)));
    }

    [Theory]
    [InlineData("identity_custom.json", "$.objects[0].foo")]
    [InlineData("tool.json", "$.foo_value", "$.bar_value")]
    public void Custom_properties_without_x_prefix_are_accepted_with_warnings(string file, params string[] paths)
    {
        var issues = SharedData.ValidateAll(SharedData.ReadBundle(V21 + file));
        Assert.All(issues, i => Assert.Equal(IssueSeverity.Warning, i.Severity));
        Assert.Equal(paths, issues.Select(i => i.Path));
    }

    [Theory]
    [InlineData("mitre-attack/ics-attack-17.1.json", 1651)]
    [InlineData("mitre-attack/ics-attack-18.1.json", 1826)]
    public void Every_ATTACK_for_ICS_object_is_valid(string file, int objects)
    {
        var bundle = SharedData.ReadBundle(file);
        var issues = SharedData.ValidateAll(bundle);

        Assert.Equal(objects, bundle.Entries.Count);
        Assert.Empty(bundle.EnvelopeIssues);
        Assert.Empty(SharedData.Errors(issues));
        // The only findings: deprecated x-mitre-data-component objects whose custom x_mitre_data_source_ref is "".
        Assert.All(issues, i => Assert.Equal("custom reference property 'x_mitre_data_source_ref' value '' is not an identifier (<type>--<UUID>)", i.Message));
    }

    /// <summary>STIX bundles of the shared data (JSON Schemas and non-STIX files excluded).</summary>
    public static TheoryData<string> Bundles() => new(BundleFiles());

    public static IReadOnlyList<string> BundleFiles()
    {
        var files = new List<string>();
        files.AddRange(SharedData.Files("oasis-examples", "*.json").Where(f => !f.Contains("/interop/", StringComparison.Ordinal))); // interop/ holds JSON Schemas
        files.AddRange(SharedData.Files("ioc-bundles", "*.stix2"));
        files.AddRange(SharedData.Files("incidents", "*.json"));
        files.AddRange(SharedData.Files("misp/misp-stix", "test_*stix21.json"));
        files.AddRange(SharedData.Files("markings/tlp2", "*.json").Where(f => !f.EndsWith("tlp2-extension-json-schema.json", StringComparison.Ordinal)));
        return files;
    }

    /// <summary>
    /// Rejections the specification justifies, as (file → expected Errors "path: message"); envelope issues come from
    /// BundleReader, object issues from the validator.
    /// </summary>
    static readonly Dictionary<string, string[]> ExpectedErrors = new()
    {
        // Section 8 (bundle): "type" MUST be "bundle"; the relationship's created is not an RFC 3339 timestamp (3.2).
        ["markings/tlp2/using-tlp2.0-green.json"] =
        [
            "$.type: the bundle has no \"type\": \"bundle\"; its objects are processed one by one",
            "$.objects[2].created: 'created' value '2022-101-27T13:49:54.326Z' is not a valid STIX timestamp: the date part '2022-101-27' is not YYYY-MM-DD",
        ],
        // Section 8: the wrapper has no "type": "bundle" (the extension-definition inside is valid).
        ["markings/tlp2/extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d.json"] =
        [
            "$.type: the bundle has no \"type\": \"bundle\"; its objects are processed one by one",
        ],
    };

    [Theory]
    [MemberData(nameof(Bundles))]
    public void Shared_bundles_are_accepted_or_rejected_for_a_spec_reason(string file)
    {
        var bundle = SharedData.ReadBundle(file);
        var errors = SharedData.Errors(bundle.EnvelopeIssues.Concat(SharedData.ValidateAll(bundle)));

        var expected = ExpectedErrors.TryGetValue(file, out var e) ? e : [];
        Assert.True(bundle.Entries.Count > 0, $"{file} has no objects");
        Assert.Equal(expected, errors.Select(x => $"{x.Path}: {x.Message}"));
    }

    [Fact]
    public void Every_STIX_object_in_the_MISP_attribute_mapping_document_is_valid()
    {
        // Not a bundle: { "<MISP attribute type>": { "MISP": …, "STIX": [objects] or one object } }.
        var root = (JsonObject)SharedData.ReadJson("misp/misp-stix/misp_attributes_to_stix21.json");
        var count = 0;
        var errors = new List<StixIssue>();
        foreach (var (attribute, entry) in root)
        {
            switch (entry?["STIX"])
            {
                case JsonArray objects:
                    for (var i = 0; i < objects.Count; i++)
                    {
                        count++;
                        errors.AddRange(SharedData.Errors(StixValidator.Validate((JsonObject)objects[i]!, $"$['{attribute}'].STIX[{i}]")));
                    }
                    break;
                case JsonObject single:
                    count++;
                    errors.AddRange(SharedData.Errors(StixValidator.Validate(single, $"$['{attribute}'].STIX")));
                    break;
                default:
                    Assert.Fail($"entry '{attribute}' has no STIX objects");
                    break;
            }
        }
        Assert.Equal(301, count);
        Assert.True(errors.Count == 0, Describe(errors));
    }

    [Fact]
    public void Statement_marking_with_microsecond_timestamp_is_valid()
    {
        Assert.Empty(SharedData.ValidateAll(SharedData.ReadBundle("markings/tlp2/statement-marking-mitre-copyright.json")));
    }

    [Fact]
    public void Incident_core_new_SDO_types_are_accepted_without_warnings_about_their_type()
    {
        var bundle = SharedData.ReadBundle("incidents/incident_ransom.json");
        var issues = SharedData.ValidateAll(bundle);
        Assert.Empty(SharedData.Errors(issues));
        Assert.DoesNotContain(issues, i => i.Path.EndsWith(".type", StringComparison.Ordinal));
        Assert.Equal(["event", "impact", "task"],
            bundle.Entries.Select(e => e.Json!["type"]!.GetValue<string>()).Where(t => !SpecProperties.IsSpecType(t)).Distinct().Order(StringComparer.Ordinal));
    }
}

public class SchemaCrossCheckTests
{
    /// <summary>
    /// Objects where the OASIS JSON Schema and this validator disagree on "has Errors", each for a reason the
    /// specification decides. Keyed by "file#id".
    /// </summary>
    static readonly Dictionary<string, string> KnownDisagreements = new()
    {
        // Section 3.2: "modified MUST be later than or equal to created". A JSON Schema cannot compare two
        // properties, so the schema accepts this object; the OASIS Python validator rejects it, and so do we.
        ["stix-validator-examples/v21/invalid_timestamp.json#identity--8c6af861-7b20-41ef-9b59-6344fd872a8f"] =
            "modified earlier than created: beyond what JSON Schema can express",
    };

    static IEnumerable<string> Files()
    {
        foreach (var file in SharedDataTests.BundleFiles())
        {
            yield return file;
        }
        yield return "mitre-attack/ics-attack-17.1.json";
        yield return "mitre-attack/ics-attack-18.1.json";
        foreach (var f in new[] { "identity.json", "identity_custom.json", "identity_unicode.json", "identity_warning.json", "invalid_identity.json", "invalid_timestamp.json", "tlp-amber.json", "tool.json" })
        {
            yield return "stix-validator-examples/v21/" + f;
        }
    }

    [Fact]
    public void Validator_verdict_agrees_with_the_OASIS_JSON_schemas()
    {
        Assert.Equal(42, OasisSchemas.ByType.Count);
        var checkedObjects = 0;
        var disagreements = new List<string>();
        var seen = new HashSet<string>();
        var schemaRejected = new List<string>();
        foreach (var file in Files())
        {
            foreach (var entry in SharedData.ReadBundle(file).Entries)
            {
                var obj = entry.Json!;
                var schemaValid = OasisSchemas.IsValid(obj);
                if (schemaValid is null)
                {
                    continue;
                }
                checkedObjects++;
                var issues = Validation.StixValidator.Validate(obj, entry.Path);
                var validatorValid = Validation.StixValidator.IsValid(issues);
                var key = $"{file}#{obj["id"]}";
                seen.Add(key);
                if (schemaValid == false)
                {
                    schemaRejected.Add(key);
                }
                if (schemaValid != validatorValid && !KnownDisagreements.ContainsKey(key))
                {
                    disagreements.Add($"{key}: schema {(schemaValid.Value ? "valid" : "invalid")}, validator {(validatorValid ? "valid" : "invalid: " + string.Join("; ", SharedData.Errors(issues)))}");
                }
            }
        }
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
        Assert.All(KnownDisagreements.Keys, k => Assert.Contains(k, seen));
        // The schemas do reject what they can see: the identity without modified and the malformed created.
        Assert.Equal(
            [
                "markings/tlp2/using-tlp2.0-green.json#relationship--1621d4d4-b67d-11e3-9670-f01faf20d111",
                "stix-validator-examples/v21/invalid_identity.json#identity--8c6af861-7b20-41ef-9b59-6344fd872a8f",
            ],
            schemaRejected.Order(StringComparer.Ordinal));
        Assert.Equal(4080, checkedObjects);
    }
}
