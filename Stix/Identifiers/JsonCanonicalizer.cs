using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ThreatGraph.Stix.Identifiers;

/// <summary>
/// RFC 8785 JSON Canonicalization Scheme (JCS): object members sorted by their UTF-16 code units, no whitespace,
/// strings with only the mandatory escapes, numbers in their shortest round-trip (ECMAScript) form.
/// </summary>
public static class JsonCanonicalizer
{
    public static string Canonicalize(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(node, sb);
        return sb.ToString();
    }

    static void Write(JsonNode? node, StringBuilder sb)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                sb.Append('{');
                var first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }
                    first = false;
                    WriteString(key, sb);
                    sb.Append(':');
                    Write(value, sb);
                }
                sb.Append('}');
                break;
            case JsonArray arr:
                sb.Append('[');
                for (var i = 0; i < arr.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }
                    Write(arr[i], sb);
                }
                sb.Append(']');
                break;
            case JsonValue value:
                WriteValue(value, sb);
                break;
            default:
                throw new ArgumentException($"unsupported JSON node {node.GetType().Name}", nameof(node));
        }
    }

    static void WriteValue(JsonValue value, StringBuilder sb)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(value.GetValue<string>(), sb);
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            case JsonValueKind.Null:
                sb.Append("null");
                break;
            case JsonValueKind.Number:
                WriteNumber(value, sb);
                break;
            default:
                throw new ArgumentException($"unsupported JSON value kind {value.GetValueKind()}", nameof(value));
        }
    }

    static void WriteNumber(JsonValue value, StringBuilder sb)
    {
        // Read the number from its JSON text, so parsed and code-built values (JsonValue<int>, <decimal> …) agree.
        var raw = value.ToJsonString();
        if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            sb.Append(l.ToString(CultureInfo.InvariantCulture));
            return;
        }
        var d = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsNaN(d) || double.IsInfinity(d))
        {
            throw new ArgumentException("NaN and Infinity cannot be canonicalized", nameof(value));
        }
        if (d == Math.Floor(d) && Math.Abs(d) < 1e21)
        {
            sb.Append(d.ToString("F0", CultureInfo.InvariantCulture));
            return;
        }
        // Shortest round-trip digits; ECMAScript writes exponents as e+NN / e-NN without leading zeros.
        var s = d.ToString("R", CultureInfo.InvariantCulture);
        var e = s.IndexOf('E', StringComparison.Ordinal);
        if (e >= 0)
        {
            var exponent = int.Parse(s[(e + 1)..], CultureInfo.InvariantCulture);
            var mantissa = s[..e];
            if (exponent is >= -6 and < 21)
            {
                s = ((decimal)d).ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                s = mantissa + "e" + (exponent > 0 ? "+" : "-") + Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
            }
        }
        sb.Append(s);
    }

    static void WriteString(string s, StringBuilder sb)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        sb.Append('"');
    }
}
