namespace ThreatGraph.Stix.Validation;

/// <summary>
/// The properties STIX 2.1 defines, per object type (beyond the common ones), taken from the OASIS STIX 2.1 JSON
/// schemas (cti-stix2-json-schemas, schemas/**) and checked against the specification's property tables.
/// A property an object carries that is not here is a custom property.
/// </summary>
public static class SpecProperties
{
    /// <summary>Common properties of SDOs, SROs, language-content and extension-definition (section 3.2).</summary>
    public static readonly IReadOnlySet<string> Common = new HashSet<string>(StringComparer.Ordinal)
    {
        "type", "spec_version", "id", "created_by_ref", "created", "modified", "revoked", "labels", "confidence",
        "lang", "external_references", "object_marking_refs", "granular_markings", "extensions",
    };

    /// <summary>Common properties of SCOs (section 3.2 and 6).</summary>
    public static readonly IReadOnlySet<string> ObservableCommon = new HashSet<string>(StringComparer.Ordinal)
    {
        "type", "spec_version", "id", "object_marking_refs", "granular_markings", "defanged", "extensions",
    };

    /// <summary>Common properties of marking-definition (section 7.2.1): not versioned, so no modified/revoked.</summary>
    public static readonly IReadOnlySet<string> MarkingCommon = new HashSet<string>(StringComparer.Ordinal)
    {
        "type", "spec_version", "id", "created_by_ref", "created", "external_references", "object_marking_refs",
        "granular_markings", "extensions",
    };

    static readonly Dictionary<string, string[]> ByType = new(StringComparer.Ordinal)
    {
        ["extension-definition"] = ["description", "extension_properties", "extension_types", "name", "schema", "version"],
        ["language-content"] = ["contents", "object_modified", "object_ref"],
        ["marking-definition"] = ["definition", "definition_type", "name"],
        ["artifact"] = ["decryption_key", "encryption_algorithm", "hashes", "mime_type", "payload_bin", "url"],
        ["autonomous-system"] = ["name", "number", "rir"],
        ["directory"] = ["atime", "contains_refs", "ctime", "mtime", "path", "path_enc"],
        ["domain-name"] = ["resolves_to_refs", "value"],
        ["email-addr"] = ["belongs_to_ref", "display_name", "value"],
        ["email-message"] = ["additional_header_fields", "bcc_refs", "body", "body_multipart", "cc_refs", "content_type", "date", "from_ref", "is_multipart", "message_id", "raw_email_ref", "received_lines", "sender_ref", "subject", "to_refs"],
        ["file"] = ["atime", "contains_refs", "content_ref", "ctime", "hashes", "magic_number_hex", "mime_type", "mtime", "name", "name_enc", "parent_directory_ref", "size"],
        ["ipv4-addr"] = ["belongs_to_refs", "resolves_to_refs", "value"],
        ["ipv6-addr"] = ["belongs_to_refs", "resolves_to_refs", "value"],
        ["mac-addr"] = ["value"],
        ["mutex"] = ["name"],
        ["network-traffic"] = ["dst_byte_count", "dst_packets", "dst_payload_ref", "dst_port", "dst_ref", "encapsulated_by_ref", "encapsulates_refs", "end", "ipfix", "is_active", "protocols", "src_byte_count", "src_packets", "src_payload_ref", "src_port", "src_ref", "start"],
        ["process"] = ["child_refs", "command_line", "created_time", "creator_user_ref", "cwd", "environment_variables", "image_ref", "is_hidden", "opened_connection_refs", "parent_ref", "pid"],
        ["software"] = ["cpe", "languages", "name", "swid", "vendor", "version"],
        ["url"] = ["value"],
        ["user-account"] = ["account_created", "account_expires", "account_first_login", "account_last_login", "account_login", "account_type", "can_escalate_privs", "credential", "credential_last_changed", "display_name", "is_disabled", "is_privileged", "is_service_account", "user_id"],
        ["windows-registry-key"] = ["creator_user_ref", "key", "modified_time", "number_of_subkeys", "values"],
        ["x509-certificate"] = ["hashes", "is_self_signed", "issuer", "serial_number", "signature_algorithm", "subject", "subject_public_key_algorithm", "subject_public_key_exponent", "subject_public_key_modulus", "validity_not_after", "validity_not_before", "version", "x509_v3_extensions"],
        ["attack-pattern"] = ["aliases", "description", "kill_chain_phases", "name"],
        ["campaign"] = ["aliases", "description", "first_seen", "last_seen", "name", "objective"],
        ["course-of-action"] = ["description", "name"],
        ["grouping"] = ["context", "description", "name", "object_refs"],
        ["identity"] = ["contact_information", "description", "identity_class", "name", "roles", "sectors"],
        ["incident"] = ["description", "name"],
        ["indicator"] = ["description", "indicator_types", "kill_chain_phases", "name", "pattern", "pattern_type", "pattern_version", "valid_from", "valid_until"],
        ["infrastructure"] = ["aliases", "description", "first_seen", "infrastructure_types", "kill_chain_phases", "last_seen", "name"],
        ["intrusion-set"] = ["aliases", "description", "first_seen", "goals", "last_seen", "name", "primary_motivation", "resource_level", "secondary_motivations"],
        ["location"] = ["administrative_area", "city", "country", "description", "latitude", "longitude", "name", "postal_code", "precision", "region", "street_address"],
        ["malware-analysis"] = ["analysis_definition_version", "analysis_ended", "analysis_engine_version", "analysis_sco_refs", "analysis_started", "configuration_version", "host_vm_ref", "installed_software_refs", "modules", "operating_system_ref", "product", "result", "result_name", "sample_ref", "submitted", "version"],
        ["malware"] = ["aliases", "architecture_execution_envs", "capabilities", "description", "first_seen", "implementation_languages", "is_family", "kill_chain_phases", "last_seen", "malware_types", "name", "operating_system_refs", "sample_refs"],
        ["note"] = ["abstract", "authors", "content", "object_refs"],
        ["observed-data"] = ["first_observed", "last_observed", "number_observed", "object_refs", "objects"],
        ["opinion"] = ["authors", "explanation", "object_refs", "opinion"],
        ["report"] = ["description", "name", "object_refs", "published", "report_types"],
        ["threat-actor"] = ["aliases", "description", "first_seen", "goals", "last_seen", "name", "personal_motivations", "primary_motivation", "resource_level", "roles", "secondary_motivations", "sophistication", "threat_actor_types"],
        ["tool"] = ["aliases", "description", "kill_chain_phases", "name", "tool_types", "tool_version"],
        ["vulnerability"] = ["description", "name"],
        ["relationship"] = ["description", "relationship_type", "source_ref", "start_time", "stop_time", "target_ref"],
        ["sighting"] = ["count", "description", "first_seen", "last_seen", "observed_data_refs", "sighting_of_ref", "summary", "where_sighted_refs"],
    };

    /// <summary>All object types STIX 2.1 defines.</summary>
    public static IEnumerable<string> SpecTypes => ByType.Keys;

    public static bool IsSpecType(string type) => ByType.ContainsKey(type);

    /// <summary>True when STIX 2.1 defines <paramref name="property"/> for <paramref name="type"/> (common ones included).</summary>
    public static bool IsDefined(string type, string property)
    {
        var common = type switch
        {
            "marking-definition" => MarkingCommon,
            _ when StixTypes.IsObservable(type) => ObservableCommon,
            _ => Common,
        };
        return common.Contains(property) || (ByType.TryGetValue(type, out var props) && props.Contains(property, StringComparer.Ordinal));
    }

    /// <summary>Properties of spec types whose value is a timestamp (section 3.2 type "timestamp").</summary>
    public static readonly IReadOnlySet<string> Timestamps = new HashSet<string>(StringComparer.Ordinal)
    {
        "created", "modified", "first_seen", "last_seen", "valid_from", "valid_until", "published", "first_observed",
        "last_observed", "start_time", "stop_time", "analysis_started", "analysis_ended", "submitted", "object_modified",
        "start", "end", "ctime", "mtime", "atime", "created_time", "modified_time", "date", "account_created",
        "account_expires", "credential_last_changed", "account_first_login", "account_last_login",
        "validity_not_before", "validity_not_after",
    };
}
