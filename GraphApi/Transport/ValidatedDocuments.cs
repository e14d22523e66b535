using System.Collections.Concurrent;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace ThreatGraph.GraphApi.Transport;

/// <summary>
/// Documents that parsed within the limits and passed validation, by their text (one per schema: a singleton of the
/// host). Clients send the same few documents with new variables; a repeat skips the parse, the limits and GraphQL's
/// core rules, which depend only on the document and the schema (as GraphQL.NET's own document cache does). The rules
/// appended after them (operation type per HTTP method, alias limit, complexity) and the coercion of the variables
/// still run on every request. Bounded: when full it starts over, so unique junk documents can neither pin memory nor
/// keep the cache from the documents in use.
/// </summary>
public sealed class ValidatedDocuments
{
    public const int Capacity = 1_000;

    /// <summary>Longer texts are not kept: repeats of them are rare, and each would hold its text and tree.</summary>
    public const int MaxQueryLength = 16 * 1024;

    static readonly HashSet<IValidationRule> CoreRules = new(DocumentValidator.CoreRules, ReferenceEqualityComparer.Instance);

    readonly ConcurrentDictionary<string, GraphQLDocument> _documents = new(StringComparer.Ordinal);

    public int Count => _documents.Count;

    public bool TryGet(string query, out GraphQLDocument document) => _documents.TryGetValue(query, out document!);

    /// <summary>Keeps a document that passed validation.</summary>
    public void Add(string query, GraphQLDocument document)
    {
        if (query.Length > MaxQueryLength)
        {
            return;
        }
        if (_documents.Count >= Capacity)
        {
            _documents.Clear();
        }
        _documents.TryAdd(query, document);
    }

    /// <summary>The rules for a document that passed before: everything but the core rules.</summary>
    public static IEnumerable<IValidationRule> WithoutCoreRules(IEnumerable<IValidationRule>? rules) =>
        rules is null ? [] : [.. rules.Where(r => !CoreRules.Contains(r))];
}
