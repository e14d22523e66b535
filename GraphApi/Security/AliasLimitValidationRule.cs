using GraphQL.Validation;
using GraphQLParser.AST;

namespace ThreatGraph.GraphApi.Security;

/// <summary>Refuses documents with more aliased fields than allowed: aliases let one request ask for the same
/// expensive field hundreds of times while staying under the depth limit.</summary>
public sealed class AliasLimitValidationRule(int maxAliases) : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        var count = 0;
        return new ValueTask<INodeVisitor?>(new MatchingNodeVisitor<GraphQLField>((field, ctx) =>
        {
            if (field.Alias is not null && ++count == maxAliases + 1)
            {
                ctx.ReportError(new ValidationError(ctx.Document.Source, "ALIAS_LIMIT",
                    $"the query uses more than {maxAliases} aliases (Security:MaxAliases); split it into several requests", field));
            }
        }));
    }
}
