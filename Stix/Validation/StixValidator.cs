using System.Text.Json.Nodes;

namespace ThreatGraph.Stix.Validation;

/// <summary>
/// STIX 2.1 validation of one object. An Error is a MUST of the specification violated (the object is rejected), a
/// Warning a SHOULD. Each rule family lives in its own file: <see cref="CommonPropertyRules"/> (type, id,
/// spec_version, created/modified, common properties), <see cref="TimestampRules"/>, <see cref="RequiredPropertyRules"/>,
/// <see cref="ReferenceRules"/>, <see cref="CustomPropertyRules"/>, <see cref="TypeRules"/> and <see cref="MarkingRules"/>.
/// References are checked for form and target type only; whether the target exists is the bundle's business.
/// </summary>
public static class StixValidator
{
    /// <param name="obj">The object.</param>
    /// <param name="basePath">JSON path of the object in its document, e.g. <c>$.objects[3]</c>; issue paths extend it.</param>
    public static IReadOnlyList<StixIssue> Validate(JsonObject obj, string basePath = "$")
    {
        var ctx = new ValidationContext(obj, basePath);
        CommonPropertyRules.Check(ctx);
        TimestampRules.Check(ctx);
        RequiredPropertyRules.Check(ctx);
        ReferenceRules.Check(ctx);
        CustomPropertyRules.Check(ctx);
        TypeRules.Check(ctx);
        return ctx.Issues;
    }

    /// <summary>True when <paramref name="issues"/> has no Error.</summary>
    public static bool IsValid(IReadOnlyList<StixIssue> issues) => issues.All(i => i.Severity != IssueSeverity.Error);
}
