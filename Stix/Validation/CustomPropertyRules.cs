using System.Text.RegularExpressions;

namespace ThreatGraph.Stix.Validation;

/// <summary>
/// Custom properties (section 11.1): names MUST be 3-250 characters of a-z, 0-9 and underscore; they SHOULD carry the
/// <c>x_</c> prefix (a Warning otherwise). Properties of custom and extension-defined object types, and those added by
/// a toplevel-property-extension, are not custom in that sense; only their naming is checked.
/// </summary>
internal static partial class CustomPropertyRules
{
    [GeneratedRegex("^[a-z0-9_]{3,250}$")]
    private static partial Regex PropertyName();

    public static void Check(ValidationContext ctx)
    {
        var definedElsewhere = !ctx.IsSpecType || ctx.ExtensionTypes.Contains(ValidationContext.ToplevelPropertyExtension);
        foreach (var (name, _) in ctx.Obj)
        {
            if ((ctx.IsSpecType ? SpecProperties.IsDefined(ctx.Type, name) : IsCommon(ctx, name))
                || (ctx.Category == ObjectCategory.MarkingDefinition && name == "modified"))
            {
                continue;
            }
            if (!PropertyName().IsMatch(name))
            {
                ctx.Error(ctx.PathOf(name), $"property name '{name}' is invalid: custom property names must be 3-250 characters of lowercase a-z, 0-9 and '_'");
                continue;
            }
            if (!definedElsewhere && !name.StartsWith("x_", StringComparison.Ordinal))
            {
                ctx.Warning(ctx.PathOf(name), $"'{name}' is not a {ctx.Type} property of STIX 2.1; custom properties should start with 'x_' (or be defined by an extension)");
            }
        }
    }

    static bool IsCommon(ValidationContext ctx, string name) => ctx.Category switch
    {
        ObjectCategory.Sco => SpecProperties.ObservableCommon.Contains(name),
        ObjectCategory.MarkingDefinition => SpecProperties.MarkingCommon.Contains(name),
        _ => SpecProperties.Common.Contains(name),
    };
}
