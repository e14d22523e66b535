namespace ThreatGraph.TestSupport;

/// <summary>Development API keys (Silo/dev-keys.json; the secrets are printed in the README).</summary>
public static class DevKeys
{
    public const string JpAnalyst = "jp-analyst-dev-key";
    public const string JpAnalyst2 = "jp-analyst2-dev-key";
    public const string UsAnalyst = "us-analyst-dev-key";
    public const string IsacAnalyst = "isac-analyst-dev-key";
    public const string JpAuditor = "jp-auditor-dev-key";
}
