using System.Text.Json.Nodes;

namespace ThreatGraph.Stix.Validation;

/// <summary>PLACEHOLDER until the full validator lands (being written now): checks only id and type.</summary>
public static class StixValidator
{
    /// <param name="obj">The object.</param>
    /// <param name="basePath">JSON path of the object in its document, e.g. <c>$.objects[3]</c>; issue paths extend it.</param>
    public static IReadOnlyList<StixIssue> Validate(JsonObject obj, string basePath = "$")
    {
        var o = new StixObject(obj);
        var issues = new List<StixIssue>();
        if (o.Type.Length == 0) issues.Add(new(o.Id, basePath + ".type", "required property 'type' is missing", IssueSeverity.Error));
        if (o.Id.Length == 0) issues.Add(new(null, basePath + ".id", "required property 'id' is missing", IssueSeverity.Error));
        return issues;
    }
}
