using System.Globalization;
using System.Net;

namespace ThreatGraph.Enrichment.Reference.Domains;

/// <summary>
/// Host → registered (registrable) domain under the public suffix list, by the list's own algorithm
/// (publicsuffix.org/list): the matching rule with the most labels prevails, an exception rule (<c>!www.ck</c>) over
/// any other, a wildcard (<c>*.ck</c>) matches exactly one label, and no match means the suffix is the last label
/// (rule <c>*</c>). The registered domain is the public suffix plus one label. Both sections of the list are used, so
/// <c>evil.blogspot.com</c> is its own registered domain, not blogspot.com's. Rules and hosts are compared in their
/// IDNA ASCII (punycode) form; the answer keeps the labels as the host wrote them. Immutable: safe to share.
/// </summary>
public sealed class RegisteredDomains
{
    public const string RulesFile = "psl-rules.js";

    static readonly Lazy<RegisteredDomains> ShippedInstance = new(() => Load(ReferenceDataFiles.PathOf(RulesFile)));
    static readonly IdnMapping Idn = new();

    readonly HashSet<string> _rules;
    readonly HashSet<string> _wildcardParents;
    readonly HashSet<string> _exceptions;

    public RegisteredDomains(IEnumerable<string> rules)
    {
        (_rules, _wildcardParents, _exceptions) = ([], [], []);
        foreach (var rule in rules)
        {
            if (rule.StartsWith('!'))
            {
                _exceptions.Add(Ascii(rule[1..]) ?? throw Invalid(rule));
            }
            else if (rule.StartsWith("*.", StringComparison.Ordinal))
            {
                _wildcardParents.Add(Ascii(rule[2..]) ?? throw Invalid(rule));
            }
            else
            {
                _rules.Add(Ascii(rule) ?? throw Invalid(rule));
            }
        }
        RuleCount = _rules.Count + _wildcardParents.Count + _exceptions.Count;
    }

    /// <summary>The list shipped with the application (npm <c>psl</c>), loaded on first use.</summary>
    public static RegisteredDomains Shipped => ShippedInstance.Value;

    public int RuleCount { get; }

    public static RegisteredDomains Load(string rulesFile) => new(PslRulesFile.Read(rulesFile));

    /// <summary>The registered domain of <paramref name="host"/> (lower-case, without a trailing dot), or null when the
    /// host is an IP address, a public suffix itself, or not a valid host name.</summary>
    public string? RegisteredDomain(string host)
    {
        var name = host.Trim().ToLowerInvariant();
        if (name.EndsWith('.'))
        {
            name = name[..^1];
        }
        if (name.Length == 0 || name.StartsWith('[') || IPAddress.TryParse(name, out _) || name.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            return null;
        }
        var ascii = Ascii(name);
        if (ascii is null)
        {
            return null;
        }
        var labels = ascii.Split('.');
        var suffixLabels = PublicSuffixLabels(labels);
        if (labels.Length <= suffixLabels)
        {
            return null;
        }
        // The host's own labels when they correspond one to one (IDNA may map other dots, e.g. U+3002, to '.').
        var written = name.Split('.');
        var source = written.Length == labels.Length ? written : labels;
        return string.Join('.', source[^(suffixLabels + 1)..]);
    }

    /// <summary>How many trailing labels of <paramref name="labels"/> the prevailing rule makes the public suffix.</summary>
    int PublicSuffixLabels(string[] labels)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            if (_exceptions.Contains(string.Join('.', labels[i..])))
            {
                return labels.Length - i - 1;
            }
        }
        for (var i = 0; i < labels.Length; i++)
        {
            var suffix = string.Join('.', labels[i..]);
            if (_rules.Contains(suffix) || (i + 1 < labels.Length && _wildcardParents.Contains(string.Join('.', labels[(i + 1)..]))))
            {
                return labels.Length - i;
            }
        }
        return 1;
    }

    /// <summary>The IDNA ASCII form, lower-case, or null when it is not a valid name (an empty label, a label over 63
    /// characters, characters IDNA refuses).</summary>
    static string? Ascii(string name)
    {
        try
        {
            var ascii = Idn.GetAscii(name).ToLowerInvariant();
            return ascii.Split('.').Any(l => l.Length == 0) ? null : ascii;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    static InvalidDataException Invalid(string rule) => new($"public suffix rule '{rule}' is not a valid domain name");
}
