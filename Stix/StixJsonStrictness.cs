using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace ThreatGraph.Stix;

/// <summary>What is wrong with a JSON text, beyond its syntax.</summary>
public enum StixJsonProblemKind
{
    /// <summary>Not well-formed JSON (RFC 8259).</summary>
    Syntax,
    /// <summary>Bytes that are not UTF-8 (RFC 8259 §8.1: JSON exchanged between systems MUST be UTF-8).</summary>
    InvalidUtf8,
    /// <summary>One property name twice in one object (I-JSON, RFC 7493 §2.3: MUST NOT; STIX 2.1 §3.1 follows I-JSON).</summary>
    DuplicateProperty,
    /// <summary>A UTF-16 surrogate without its pair, escaped (<c>"\ud800"</c>) or raw in a .NET string: not Unicode
    /// text (I-JSON, RFC 7493 §2.1: MUST NOT).</summary>
    LoneSurrogate,
    /// <summary>Larger than a configured limit.</summary>
    TooLarge,
    /// <summary>Well-formed, but not the expected shape (e.g. a TAXII envelope that is not a JSON object).</summary>
    Structure,
}

/// <summary>One problem, with the JSON path it is at (e.g. <c>$.objects[3].name</c>).</summary>
public sealed record StixJsonProblem(StixJsonProblemKind Kind, string Path, string Message);

/// <summary>
/// STIX 2.1 content is I-JSON (RFC 7493): UTF-8, no duplicate property names, no lone surrogates. System.Text.Json
/// lets all three through (a duplicate throws later, when the object is first read; a lone surrogate escape throws when
/// the string is read or written; invalid UTF-8 is silently replaced by U+FFFD), so every ingest path checks its input
/// here first: the gateway on the whole body (<see cref="BundleReader"/>), the ingest grain on each object it is given.
/// </summary>
public static class StixJsonStrictness
{
    /// <summary>Reader settings of every ingest path: no comments, no trailing commas, depth 64.</summary>
    public static readonly JsonReaderOptions ReaderOptions = new()
    {
        AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64,
    };

    /// <summary>Parsing after the checks: duplicates refused by System.Text.Json too (belt and braces).</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64, AllowDuplicateProperties = false,
    };

    /// <summary>The offset of the first byte that is not part of a valid UTF-8 sequence (a truncated sequence at the
    /// end counts), or -1 when every byte is.</summary>
    public static long IndexOfInvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        if (Utf8.IsValid(utf8))
        {
            return -1;
        }
        var buffer = ArrayPool<char>.Shared.Rent(4096);
        try
        {
            long offset = 0;
            while (true)
            {
                var status = Utf8.ToUtf16(utf8, buffer, out var read, out _, replaceInvalidSequences: false, isFinalBlock: true);
                if (status == OperationStatus.Done)
                {
                    return -1;
                }
                if (status is OperationStatus.InvalidData or OperationStatus.NeedMoreData)
                {
                    return offset + read;
                }
                offset += read;
                utf8 = utf8[read..];
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>The index of the first UTF-16 surrogate without its pair in a .NET string, or -1.</summary>
    public static int IndexOfLoneSurrogate(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>
    /// Checks one JSON text given as a .NET string (what the ingest grain receives): a lone surrogate char, the size of
    /// its UTF-8 form against <paramref name="maxBytes"/>, its syntax, then <see cref="CheckValue"/>.
    /// </summary>
    /// <param name="utf8">The UTF-8 form when there is no problem (to parse without converting again).</param>
    public static StixJsonProblem? Check(string json, string path, int maxBytes, out byte[]? utf8)
    {
        utf8 = null;
        if (IndexOfLoneSurrogate(json) is var lone and >= 0)
        {
            return new(StixJsonProblemKind.LoneSurrogate, path,
                $"the text holds a lone surrogate (U+{(int)json[lone]:X4}, a UTF-16 code unit without its pair) at character {lone}; it is not Unicode text");
        }
        var size = Encoding.UTF8.GetByteCount(json);
        if (size > maxBytes)
        {
            return TooLarge(path, size, maxBytes);
        }
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, ReaderOptions);
        try
        {
            if (!reader.Read())
            {
                return new(StixJsonProblemKind.Syntax, path, "malformed JSON: the text is empty");
            }
            if (CheckValue(ref reader, path, null) is { } problem)
            {
                return problem;
            }
            if (reader.Read())
            {
                return new(StixJsonProblemKind.Syntax, path, "malformed JSON: more than one JSON value");
            }
        }
        catch (JsonException e)
        {
            return new(StixJsonProblemKind.Syntax, path,
                $"malformed JSON at line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}: {Clean(e.Message)}");
        }
        utf8 = bytes;
        return null;
    }

    /// <summary>The problem of an object whose JSON is <paramref name="size"/> bytes, over <paramref name="maxBytes"/>.</summary>
    public static StixJsonProblem TooLarge(string path, long size, int maxBytes) =>
        new(StixJsonProblemKind.TooLarge, path,
            $"the object is {size} bytes of JSON; the limit is {maxBytes} bytes (Ingest:MaxObjectBytes)");

    /// <summary>
    /// Reads the JSON value whose first token the reader is on, through its last token, and returns its first
    /// duplicate property or lone surrogate escape (null when there is none). Syntax errors throw
    /// <see cref="JsonException"/>, as the reader does.
    /// </summary>
    /// <param name="topLevel">When given and the value is an object: its top-level string properties, by name, whose
    /// values are readable (so that a rejected object can still be named by its id).</param>
    public static StixJsonProblem? CheckValue(ref Utf8JsonReader reader, string path, Dictionary<string, string>? topLevel)
    {
        StixJsonProblem? problem = null;
        // One frame per open container: its path, and the names seen so far (objects) or the next index (arrays).
        var frames = new Stack<Frame>();
        string? property = null; // in the innermost object: the name of the value about to be read
        do
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    frames.Push(new Frame(ValuePath(frames, property, path),
                        reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null));
                    property = null;
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    frames.Pop();
                    property = null;
                    break;
                case JsonTokenType.PropertyName:
                    var frame = frames.Peek();
                    if (reader.ValueIsEscaped && LoneSurrogateEscape(reader.ValueSpan) is { } badName)
                    {
                        problem ??= new(StixJsonProblemKind.LoneSurrogate, frame.Path,
                            $"a property name holds a lone surrogate escape ('{badName}' without its pair); it is not Unicode text");
                        property = null;
                        break;
                    }
                    property = reader.GetString()!;
                    if (!frame.Names!.Add(property))
                    {
                        problem ??= new(StixJsonProblemKind.DuplicateProperty, Member(frame.Path, property),
                            $"duplicate property '{property}' in one JSON object (I-JSON, which STIX 2.1 requires, forbids it); send each property once");
                    }
                    break;
                case JsonTokenType.String:
                    if (reader.ValueIsEscaped && LoneSurrogateEscape(reader.ValueSpan) is { } badValue)
                    {
                        problem ??= new(StixJsonProblemKind.LoneSurrogate, ValuePath(frames, property, path),
                            $"the string holds a lone surrogate escape ('{badValue}' without its pair); it is not Unicode text");
                        break;
                    }
                    if (topLevel is not null && frames.Count == 1 && frames.Peek().Names is not null && property is not null)
                    {
                        topLevel.TryAdd(property, reader.GetString()!);
                    }
                    SkipIndex(frames);
                    break;
                default: // numbers, true, false, null
                    SkipIndex(frames);
                    break;
            }
        }
        while (frames.Count > 0 && reader.Read());
        if (frames.Count > 0)
        {
            // Only on a reader over a partial buffer; ours always hold the whole text.
            throw new JsonException("the JSON text ends inside a value");
        }
        return problem;
    }

    /// <summary>The path of the value starting now; in an array, this also counts the element.</summary>
    static string ValuePath(Stack<Frame> frames, string? property, string root)
    {
        if (frames.Count == 0)
        {
            return root;
        }
        var parent = frames.Peek();
        return parent.Names is null ? $"{parent.Path}[{parent.NextIndex++}]" : Member(parent.Path, property ?? "?");
    }

    /// <summary>A value that needs no path: in an array, count it.</summary>
    static void SkipIndex(Stack<Frame> frames)
    {
        if (frames.Count > 0 && frames.Peek().Names is null)
        {
            frames.Peek().NextIndex++;
        }
    }

    /// <summary><c>$.a.b</c> for plain names, <c>$['odd name']</c> otherwise.</summary>
    public static string Member(string path, string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? $"{path}.{name}"
            : $"{path}['{name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}']";

    /// <summary>For the string or property name the reader is on: its first escape of a lone surrogate (e.g.
    /// <c>\ud800</c>), or null.</summary>
    public static string? LoneSurrogateEscapeIn(in Utf8JsonReader reader) =>
        reader.ValueIsEscaped ? LoneSurrogateEscape(reader.ValueSpan) : null;

    /// <summary>The first <c>\uXXXX</c> escape of a surrogate without its pair in a raw (still escaped) JSON string,
    /// or null. The reader has already checked the escapes' syntax.</summary>
    static string? LoneSurrogateEscape(ReadOnlySpan<byte> raw)
    {
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '\\')
            {
                continue;
            }
            if (raw[i + 1] != 'u')
            {
                i++; // \" \\ \/ \b \f \n \r \t
                continue;
            }
            var unit = Hex(raw.Slice(i + 2, 4));
            if (char.IsLowSurrogate((char)unit))
            {
                return Escape(unit);
            }
            if (char.IsHighSurrogate((char)unit))
            {
                var next = i + 6;
                if (next + 6 <= raw.Length && raw[next] == '\\' && raw[next + 1] == 'u' && char.IsLowSurrogate((char)Hex(raw.Slice(next + 2, 4))))
                {
                    i = next + 5;
                    continue;
                }
                return Escape(unit);
            }
            i += 5;
        }
        return null;
    }

    static string Escape(int unit) => $"\\u{unit:x4}";

    static int Hex(ReadOnlySpan<byte> four)
    {
        var value = 0;
        foreach (var b in four)
        {
            value = (value << 4) | (b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10);
        }
        return value;
    }

    /// <summary>System.Text.Json appends " Path: … | LineNumber: … | BytePositionInLine: …"; we report our own position.</summary>
    internal static string Clean(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }
        return cut > 0 ? message[..cut] : message;
    }

    sealed class Frame(string path, HashSet<string>? names)
    {
        public string Path { get; } = path;
        /// <summary>Property names seen (objects); null for arrays.</summary>
        public HashSet<string>? Names { get; } = names;
        /// <summary>Arrays: how many elements have started.</summary>
        public int NextIndex { get; set; }
    }
}
