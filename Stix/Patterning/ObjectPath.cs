using System.Text;

namespace ThreatGraph.Stix.Patterning;

/// <summary>One step of an object path after the colon: a property/dictionary key or a list index.</summary>
public abstract record PathStep;

/// <summary>A property name or dictionary key, e.g. <c>hashes</c> or <c>'SHA-256'</c>.</summary>
public sealed record KeyPathStep(string Key) : PathStep
{
    public override string ToString() => Render(Key);

    /// <summary>A key is written bare when it is an identifier without hyphen that is not a keyword, quoted otherwise.</summary>
    internal static string Render(string key) =>
        PatternLexer.IsPlainIdentifier(key) && !PatternLexer.IsKeyword(key) ? key : PatternLiteral.Quote(key);
}

/// <summary>A list index: <c>[0]</c>, <c>[-1]</c> or <c>[*]</c> (<see cref="Index"/> is null for <c>*</c>).</summary>
public sealed record IndexPathStep(int? Index) : PathStep
{
    public bool IsAny => Index is null;

    public override string ToString() => Index is { } i ? $"[{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}]" : "[*]";
}

/// <summary>An object path such as <c>file:hashes.'SHA-256'</c> or <c>email-message:to_refs[*].value</c>.</summary>
public sealed record ObjectPath(string ObjectType, IReadOnlyList<PathStep> Steps)
{
    /// <summary>The path after the colon in normalised form: no whitespace, keys bare when they can be
    /// (<c>hashes.MD5</c>), quoted when they must be (<c>hashes.'SHA-256'</c>), indexes as <c>[*]</c>/<c>[n]</c>.</summary>
    public string PropertyPath
    {
        get
        {
            var sb = new StringBuilder();
            for (var i = 0; i < Steps.Count; i++)
            {
                if (Steps[i] is KeyPathStep && i > 0)
                {
                    sb.Append('.');
                }
                sb.Append(Steps[i]);
            }
            return sb.ToString();
        }
    }

    /// <summary>True when the path names a property of the object itself: no list index and no hop through a
    /// <c>*_ref</c>/<c>*_refs</c> property to another object. <c>hashes.'SHA-256'</c> and <c>value</c> are plain;
    /// <c>dst_ref.value</c> and <c>sections[*].entropy</c> are not.</summary>
    public bool IsPlainProperty
    {
        get
        {
            for (var i = 0; i < Steps.Count; i++)
            {
                if (Steps[i] is IndexPathStep)
                {
                    return false;
                }
                if (i < Steps.Count - 1 && Steps[i] is KeyPathStep { Key: var key }
                    && (key.EndsWith("_ref", StringComparison.Ordinal) || key.EndsWith("_refs", StringComparison.Ordinal)))
                {
                    return false;
                }
            }
            return true;
        }
    }

    public override string ToString() => ObjectType + ":" + PropertyPath;
}
