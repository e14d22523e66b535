using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ThreatGraph.Stix.Validation;

namespace ThreatGraph.Stix;

/// <summary>A body that cannot be read at all: malformed JSON (1-based line and column), bytes that are not UTF-8
/// (their offset), or a problem in the envelope itself (its JSON path). Nothing of such a body is ingested.</summary>
public sealed class StixJsonException : Exception
{
    public StixJsonException(string message, long line, long column, Exception inner)
        : base($"Malformed JSON at line {line}, column {column}: {message}", inner)
    {
        Kind = StixJsonProblemKind.Syntax;
        Line = line;
        Column = column;
    }

    public StixJsonException(StixJsonProblemKind kind, string message) : base(message) => Kind = kind;

    public StixJsonProblemKind Kind { get; }
    public long Line { get; }
    public long Column { get; }
}

/// <summary>The objects of a bundle in document order, with their JSON paths, and problems of the envelope itself.</summary>
public sealed record BundleReadResult(string? BundleId, IReadOnlyList<BundleEntry> Entries, IReadOnlyList<StixIssue> EnvelopeIssues);

/// <summary>One element of <c>objects</c>.</summary>
/// <param name="Text">The element's JSON exactly as sent; null when it is not a JSON object or has a <paramref name="Problem"/>.</param>
/// <param name="Problem">Why the object is rejected before it is parsed: a duplicate property, a lone surrogate, or
/// more bytes than the reader's object limit.</param>
/// <param name="Id">Its top-level <c>id</c> when that is a readable string (so a rejected object is still named).</param>
/// <param name="Version">Its <c>modified</c>, else <c>created</c>, when readable.</param>
public sealed record BundleEntry(int Index, string Path, string? Text, StixJsonProblem? Problem = null, string? Id = null, string? Version = null)
{
    JsonObject? _json;

    /// <summary>The element parsed (on first use); null when <see cref="Text"/> is.</summary>
    public JsonObject? Json => _json ??= Text is null ? null : JsonNode.Parse(Text, documentOptions: StixJsonStrictness.DocumentOptions) as JsonObject;
}

/// <summary>
/// Reads a STIX bundle (REST, GraphQL) or a TAXII envelope in one pass over the UTF-8 body, applying
/// <see cref="StixJsonStrictness"/>: a body that is not UTF-8, not JSON, or whose envelope has a duplicate key or a lone
/// surrogate is refused whole (<see cref="StixJsonException"/>); an element with such a problem, or larger than
/// <c>maxObjectBytes</c>, is an entry with a <see cref="BundleEntry.Problem"/> (rejected alone), and an oversize element
/// is not even decoded.
/// </summary>
public static class BundleReader
{
    /// <summary>
    /// Reads a STIX bundle. Also accepts, with an envelope issue, what real feeds send instead: a wrapper with
    /// <c>objects</c> but no <c>"type": "bundle"</c>, or a single bare object.
    /// </summary>
    /// <exception cref="StixJsonException">Not UTF-8, not well-formed JSON, or a problem in the envelope.</exception>
    public static BundleReadResult Read(ReadOnlySpan<byte> utf8, int maxObjectBytes = int.MaxValue) =>
        Interpret(Scan(utf8, maxObjectBytes), utf8, maxObjectBytes);

    public static BundleReadResult Read(string json) => Read(Encoding.UTF8.GetBytes(json));

    /// <summary>Reads a TAXII 2.1 envelope (<c>{"objects": [...]}</c>, everything else ignored).</summary>
    /// <exception cref="StixJsonException">As <see cref="Read(ReadOnlySpan{byte}, int)"/>, and when the body is not a JSON
    /// object or its <c>objects</c> is not an array.</exception>
    public static BundleReadResult ReadTaxiiEnvelope(ReadOnlySpan<byte> utf8, int maxObjectBytes = int.MaxValue)
    {
        var scan = Scan(utf8, maxObjectBytes);
        if (!scan.IsObject)
        {
            throw new StixJsonException(StixJsonProblemKind.Structure, "the envelope must be a JSON object");
        }
        ThrowOnEnvelopeProblem(scan);
        if (scan.ObjectsKind is { } kind && kind != JsonTokenType.StartArray)
        {
            throw new StixJsonException(StixJsonProblemKind.Structure, "'objects' must be an array");
        }
        return new(null, scan.Entries, []);
    }

    /// <summary>What one pass over the body found.</summary>
    sealed class RootScan
    {
        public bool IsObject;
        public long Start, End;
        /// <summary>Readable top-level strings: type, id, modified, created.</summary>
        public readonly Dictionary<string, string> Strings = new(StringComparer.Ordinal);
        public bool HasSpecVersion;
        /// <summary>The token that starts the first non-null <c>objects</c> value; null when absent or null.</summary>
        public JsonTokenType? ObjectsKind;
        public readonly List<BundleEntry> Entries = [];
        /// <summary>The first problem outside the elements of <c>objects</c>.</summary>
        public StixJsonProblem? EnvelopeProblem;
    }

    static RootScan Scan(ReadOnlySpan<byte> utf8, int maxObjectBytes)
    {
        if (StixJsonStrictness.IndexOfInvalidUtf8(utf8) is var bad and >= 0)
        {
            throw new StixJsonException(StixJsonProblemKind.InvalidUtf8,
                $"The body is not UTF-8: byte offset {bad} (0x{utf8[(int)bad]:X2}) does not start a valid UTF-8 sequence. JSON must be UTF-8 (RFC 8259 §8.1).");
        }
        var reader = new Utf8JsonReader(utf8, StixJsonStrictness.ReaderOptions);
        var scan = new RootScan();
        try
        {
            if (!reader.Read())
            {
                throw new StixJsonException("the body holds no JSON value", 1, 1, new JsonException());
            }
            scan.Start = reader.TokenStartIndex;
            scan.IsObject = reader.TokenType == JsonTokenType.StartObject;
            if (!scan.IsObject)
            {
                StixJsonStrictness.CheckValue(ref reader, "$", null);
            }
            else
            {
                ScanRootObject(ref reader, utf8, maxObjectBytes, scan);
            }
            scan.End = reader.BytesConsumed;
            reader.Read(); // anything but whitespace after the value throws
        }
        catch (JsonException e)
        {
            throw new StixJsonException(StixJsonStrictness.Clean(e.Message), (e.LineNumber ?? 0) + 1, (e.BytePositionInLine ?? 0) + 1, e);
        }
        return scan;
    }

    static readonly HashSet<string> Captured = new(StringComparer.Ordinal) { "type", "id", "modified", "created" };

    static void ScanRootObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8, int maxObjectBytes, RootScan scan)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string? name = null;
            var isFirst = false;
            if (StixJsonStrictness.LoneSurrogateEscapeIn(reader) is not null)
            {
                scan.EnvelopeProblem ??= new(StixJsonProblemKind.LoneSurrogate, "$",
                    "a property name of the envelope holds a lone surrogate escape; it is not Unicode text");
            }
            else
            {
                name = reader.GetString()!;
                isFirst = names.Add(name);
                if (!isFirst)
                {
                    scan.EnvelopeProblem ??= new(StixJsonProblemKind.DuplicateProperty, StixJsonStrictness.Member("$", name),
                        $"duplicate property '{name}' in one JSON object (I-JSON, which STIX 2.1 requires, forbids it); send each property once");
                }
            }
            reader.Read();
            if (name == "objects" && reader.TokenType != JsonTokenType.Null && scan.ObjectsKind is null)
            {
                scan.ObjectsKind = reader.TokenType;
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    ScanElements(ref reader, utf8, maxObjectBytes, scan);
                    continue;
                }
            }
            if (name == "spec_version" && reader.TokenType != JsonTokenType.Null)
            {
                scan.HasSpecVersion = true;
            }
            var path = name is null ? "$" : StixJsonStrictness.Member("$", name);
            if (StixJsonStrictness.CheckValue(ref reader, path, null) is { } problem)
            {
                scan.EnvelopeProblem ??= problem;
            }
            else if (isFirst && Captured.Contains(name!) && reader.TokenType == JsonTokenType.String)
            {
                scan.Strings[name!] = reader.GetString()!;
            }
        }
    }

    static void ScanElements(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8, int maxObjectBytes, RootScan scan)
    {
        var n = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var path = $"$.objects[{n}]";
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                StixJsonStrictness.CheckValue(ref reader, path, null); // not an object: rejected as such, whatever it holds
                scan.Entries.Add(new BundleEntry(n++, path, null));
                continue;
            }
            var start = reader.TokenStartIndex;
            var strings = new Dictionary<string, string>(StringComparer.Ordinal);
            var problem = StixJsonStrictness.CheckValue(ref reader, path, strings);
            var size = reader.BytesConsumed - start;
            if (problem is null && size > maxObjectBytes)
            {
                problem = StixJsonStrictness.TooLarge(path, size, maxObjectBytes);
            }
            var text = problem is null ? Encoding.UTF8.GetString(utf8[(int)start..(int)reader.BytesConsumed]) : null;
            scan.Entries.Add(new BundleEntry(n++, path, text, problem, strings.GetValueOrDefault("id"),
                strings.GetValueOrDefault("modified") ?? strings.GetValueOrDefault("created")));
        }
    }

    static void ThrowOnEnvelopeProblem(RootScan scan)
    {
        if (scan.EnvelopeProblem is { } p)
        {
            throw new StixJsonException(p.Kind, $"The envelope is refused at {p.Path}: {p.Message}.");
        }
    }

    static BundleReadResult Interpret(RootScan scan, ReadOnlySpan<byte> utf8, int maxObjectBytes)
    {
        var issues = new List<StixIssue>();
        if (!scan.IsObject)
        {
            issues.Add(new(null, "$", "a STIX bundle must be a JSON object", IssueSeverity.Error));
            return new(null, [], issues);
        }
        var type = scan.Strings.GetValueOrDefault("type");
        var id = scan.Strings.GetValueOrDefault("id");

        if (type is not "bundle" && scan.ObjectsKind is null && type is not null)
        {
            // A single bare object: treat it as a bundle of one. Its problems are the object's, not an envelope's.
            issues.Add(new(id, "$", "not a bundle: a single STIX object was sent; it is processed as a bundle of one", IssueSeverity.Warning));
            var size = scan.End - scan.Start;
            var problem = scan.EnvelopeProblem ?? (size > maxObjectBytes ? StixJsonStrictness.TooLarge("$", size, maxObjectBytes) : null);
            var text = problem is null ? Encoding.UTF8.GetString(utf8[(int)scan.Start..(int)scan.End]) : null;
            return new(null, [new BundleEntry(0, "$", text, problem, id,
                scan.Strings.GetValueOrDefault("modified") ?? scan.Strings.GetValueOrDefault("created"))], issues);
        }
        ThrowOnEnvelopeProblem(scan);

        if (type is not "bundle")
        {
            issues.Add(new(id, "$.type", type is null
                ? "the bundle has no \"type\": \"bundle\"; its objects are processed one by one"
                : $"the bundle's type must be \"bundle\", not \"{type}\"", IssueSeverity.Error));
        }
        if (id is null)
        {
            issues.Add(new(null, "$.id", "the bundle has no id (required: bundle--<UUID>)", IssueSeverity.Error));
        }
        else if (!StixId.IsValid(id, "bundle"))
        {
            issues.Add(new(id, "$.id", $"'{id}' is not a valid bundle id (bundle--<UUID>)", IssueSeverity.Error));
        }
        if (scan.HasSpecVersion)
        {
            issues.Add(new(id, "$.spec_version", "bundles have no spec_version in STIX 2.1 (that was STIX 2.0)", IssueSeverity.Warning));
        }
        if (scan.ObjectsKind is { } kind && kind != JsonTokenType.StartArray)
        {
            issues.Add(new(id, "$.objects", "'objects' must be a list of STIX objects", IssueSeverity.Error));
            return new(id, [], issues);
        }
        return new(id, scan.Entries, issues);
    }
}
