using System.Text;
using ThreatGraph.Stix.Patterning;
using Xunit;

namespace ThreatGraph.Stix.Tests.Patterning;

/// <summary>Seeded random mutations of valid patterns: Parse must never throw, must report an error inside the
/// input, and whatever it accepts must print to a canonical form that parses back to itself.</summary>
public sealed class StixPatternFuzzTests
{
    private static readonly string[] Fragments =
    [
        "[", "]", "(", ")", "'", "\\", ":", ".", ",", "*", "=", "==", "!=", "<>", "<", "<=", ">", ">=", "-", "+", "/", "/*", "*/", "//",
        " AND ", " OR ", " NOT ", " FOLLOWEDBY ", " IN ", " LIKE ", " MATCHES ", " ISSUBSET ", " ISSUPERSET ", " EXISTS ",
        " WITHIN 5 SECONDS", " REPEATS 2 TIMES", " START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
        " and ", "t'", "h'", "b'", "t'2016-06-01T00:00:00Z'", "h'ff'", "b'AAAA'", "true", "0", "-1", "1.5", ".5", "007",
        "x-usb-device:", "[*]", "[0]", "'SHA-256'", "\n", "\t", "\u00a0", "\u2028", "é", "\uD83D", "\0", "#",
    ];

    [Fact]
    public void Thousands_of_mutated_patterns_never_throw_and_errors_stay_inside_the_input()
    {
        var seeds = SharedPatternData.SpecExamples()
            .Concat(SharedPatternData.IndicatorPatterns().Select(x => x.Pattern).Distinct().Take(40))
            .ToList();
        var random = new Random(20250611);
        var accepted = 0;
        var rejected = 0;

        for (var i = 0; i < 6000; i++)
        {
            var pattern = seeds[random.Next(seeds.Count)];
            var mutations = 1 + random.Next(4);
            for (var m = 0; m < mutations; m++)
            {
                pattern = Mutate(pattern, random);
            }

            if (Check(pattern))
            {
                accepted++;
            }
            else
            {
                rejected++;
            }
        }

        // Both outcomes must actually be exercised for the test to mean anything.
        Assert.True(accepted > 100, $"only {accepted} mutations were accepted");
        Assert.True(rejected > 1000, $"only {rejected} mutations were rejected");
    }

    [Fact]
    public void Random_strings_never_throw()
    {
        var random = new Random(7);
        const string alphabet = "[]()':.,*=!<>-+/\\ \n\tabtfhxAINDORTSEW0123456789_\"#$%^&{}|~`é";
        for (var i = 0; i < 3000; i++)
        {
            var sb = new StringBuilder();
            var length = random.Next(60);
            for (var j = 0; j < length; j++)
            {
                sb.Append(random.Next(8) == 0 ? (char)random.Next(0, 0x3000) : alphabet[random.Next(alphabet.Length)]);
            }
            Check(sb.ToString());
        }
    }

    /// <returns>Whether the pattern was accepted.</returns>
    private static bool Check(string pattern)
    {
        PatternParseResult result;
        try
        {
            result = StixPattern.Parse(pattern);
        }
        catch (Exception e)
        {
            Assert.Fail($"Parse threw {e.GetType().Name} for {Escape(pattern)}: {e.Message}");
            throw;
        }

        if (result.Success)
        {
            Assert.Null(result.Error);
            Assert.NotNull(result.Expression);
            var canonical = result.Expression.ToString()!;
            var again = StixPattern.Parse(canonical);
            Assert.True(again.Success, $"canonical form {Escape(canonical)} of {Escape(pattern)} is rejected: {again.Error}");
            Assert.Equal(canonical, again.Expression!.ToString());
            Assert.Equal(result.Observables, again.Observables);
            return true;
        }

        Assert.NotNull(result.Error);
        Assert.True(result.Error.Position >= 0 && result.Error.Position <= pattern.Length,
            $"position {result.Error.Position} outside 0..{pattern.Length} for {Escape(pattern)}");
        Assert.False(string.IsNullOrWhiteSpace(result.Error.Message));
        Assert.Null(result.Expression);
        Assert.Empty(result.Observables);
        return false;
    }

    private static string Mutate(string pattern, Random random)
    {
        var at = pattern.Length == 0 ? 0 : random.Next(pattern.Length);
        switch (random.Next(6))
        {
            case 0: // delete a character
                return pattern.Length == 0 ? pattern : pattern.Remove(at, 1);
            case 1: // insert a fragment
                return pattern.Insert(at, Fragments[random.Next(Fragments.Length)]);
            case 2: // replace a character with a fragment
                return pattern.Length == 0 ? pattern : pattern.Remove(at, 1).Insert(at, Fragments[random.Next(Fragments.Length)]);
            case 3: // truncate
                return pattern[..at];
            case 4: // duplicate a slice
            {
                var length = random.Next(Math.Min(20, pattern.Length - at) + 1);
                return pattern.Insert(at, pattern.Substring(at, length));
            }
            default: // swap two characters
            {
                if (pattern.Length < 2)
                {
                    return pattern;
                }
                var other = random.Next(pattern.Length);
                var chars = pattern.ToCharArray();
                (chars[at], chars[other]) = (chars[other], chars[at]);
                return new string(chars);
            }
        }
    }

    private static string Escape(string s) =>
        string.Concat(s.Select(c => c < ' ' || c > '~' ? $"\\u{(int)c:X4}" : c.ToString()));
}
