using GraphQL;
using ThreatGraph.Stix;

namespace ThreatGraph.GraphApi.Schema;

/// <summary>Argument checks shared by resolvers: clear errors instead of silent clamping.</summary>
public static class Arguments
{
    public static string StixId(IResolveFieldContext ctx, string name = "id")
    {
        var id = ctx.GetArgument<string>(name);
        if (!Stix.StixId.IsValid(id))
        {
            throw new ExecutionError($"'{id}' is not a STIX id (expected type--UUID, e.g. indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f)") { Code = "BAD_ID" };
        }
        return id;
    }

    public static int Range(IResolveFieldContext ctx, string name, int min, int max)
    {
        var value = ctx.GetArgument<int>(name);
        if (value < min || value > max)
        {
            throw new ExecutionError($"'{name}' must be between {min} and {max}, got {value}") { Code = "BAD_ARGUMENT" };
        }
        return value;
    }

    /// <summary>STIX types named in a filter must at least look like types, so typos are reported, not matched as nothing.</summary>
    public static IReadOnlyList<string>? Types(IResolveFieldContext ctx, string name)
    {
        var types = ctx.GetArgument<List<string>?>(name);
        foreach (var t in types ?? [])
        {
            if (t.Length < 3 || t.Any(c => !(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-')))
            {
                throw new ExecutionError($"'{t}' is not a STIX type name") { Code = "BAD_ARGUMENT" };
            }
        }
        return types is { Count: > 0 } ? types : null;
    }

    public static bool IsObservable(string type) => StixTypes.IsObservable(type);
}
