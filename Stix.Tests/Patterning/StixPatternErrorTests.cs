using ThreatGraph.Stix.Patterning;
using Xunit;

namespace ThreatGraph.Stix.Tests.Patterning;

public sealed class StixPatternErrorTests
{
    /// <summary>(pattern, 0-based position of the first error, exact message).</summary>
    public static TheoryData<string, int, string> InvalidPatterns => new()
    {
        // Empty input, missing or unbalanced brackets and parentheses.
        { "", 0, "expected '[' or '(' to start an observation expression but found end of pattern at 0" },
        { "   ", 3, "expected '[' or '(' to start an observation expression but found end of pattern at 3" },
        { "file:name = 'x']", 0, "expected '[' or '(' to start an observation expression but found 'file' at 0" },
        { "[file:name = 'x'", 16, "expected AND, OR or ']' but found end of pattern at 16" },
        { "[file:name = 'x']]", 17, "expected AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern but found ']' at 17" },
        { "([file:name = 'x']", 18, "expected AND, OR, FOLLOWEDBY, a qualifier or ')' but found end of pattern at 18" },
        { "[file:name = 'x'])", 17, "expected AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern but found ')' at 17" },
        { "[file:name = 'x' OR (file:size = 3]", 34, "expected AND, OR or ')' but found ']' at 34" },
        { "[file:name = 'x' OR file:size = 3)]", 33, "expected AND, OR or ']' but found ')' at 33" },
        // Empty observation, missing operands and operators.
        { "[]", 1, "empty observation expression: expected a comparison before ']' at 1" },
        { "[file:name = 'x'] [file:size = 3]", 18, "expected AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern but found '[' at 18" },
        { "[file:name = 'x' file:size = 3]", 17, "expected AND, OR or ']' but found 'file' at 17" },
        { "[file:name 'x']", 11, "expected a comparison operator after 'file:name' but found string 'x' at 11" },
        { "[file:name = 'x'] AND", 21, "expected '[' or '(' to start an observation expression but found end of pattern at 21" },
        { "[file:name = 'x'] FOLLOWEDBY FOLLOWEDBY [file:size = 3]", 29, "expected '[' or '(' to start an observation expression but found 'FOLLOWEDBY' at 29" },
        { "[file:name = 'x' AND]", 20, "expected an object path, EXISTS or '(' but found ']' at 20" },
        { "[file:name != ]", 14, "expected a literal after '!=' but found ']' at 14" },
        { "[file:name = -]", 13, "expected a literal after '=' but found '-' at 13" },
        // Unknown comparison operators and lowercase keywords (the grammar's keywords are uppercase only).
        { "[file:name EQUALS 'x']", 11, "unknown comparison operator 'EQUALS' at 11" },
        { "[file:name like 'x%']", 11, "unknown comparison operator 'like' at 11 (keywords are case-sensitive: write 'LIKE')" },
        { "[file:name = 'x' and file:size = 3]", 17, "expected AND, OR or ']' but found 'and' at 17 (keywords are case-sensitive: write 'AND')" },
        { "[file:name = 'x'] or [file:size = 3]", 18, "expected AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern but found 'or' at 18 (keywords are case-sensitive: write 'OR')" },
        { "[file:name = 'x'] followedby [file:size = 3]", 18, "expected AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern but found 'followedby' at 18 (keywords are case-sensitive: write 'FOLLOWEDBY')" },
        { "[file:name = 'x'] within 5 seconds", 18, "expected AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern but found 'within' at 18 (keywords are case-sensitive: write 'WITHIN')" },
        { "[file:name = 'x'] WITHIN 5 seconds", 27, "expected 'SECONDS' after 'WITHIN 5' but found 'seconds' at 27 (keywords are case-sensitive: write 'SECONDS')" },
        { "[file:size = TRUE]", 13, "expected a literal after '=' but found 'TRUE' at 13" },
        { "[NOT file:name = 'a']", 5, "expected 'EXISTS' after a leading 'NOT' (to negate a comparison write 'type:path NOT = …') but found 'file' at 5" },
        { "[file:name NOT EXISTS]", 15, "expected a comparison operator after 'file:name' but found 'EXISTS' at 15" },
        // Qualifiers.
        { "[file:name = 'x'] WITHIN 0 SECONDS", 25, "qualifier WITHIN needs a positive number of SECONDS but found '0' at 25" },
        { "[file:name = 'x'] WITHIN -5 SECONDS", 25, "qualifier WITHIN needs a positive number of SECONDS but found '-5' at 25" },
        { "[file:name = 'x'] WITHIN SECONDS", 25, "qualifier WITHIN needs a positive number of SECONDS but found 'SECONDS' at 25" },
        { "[file:name = 'x'] WITHIN 5", 26, "expected 'SECONDS' after 'WITHIN 5' but found end of pattern at 26" },
        { "[file:name = 'x'] WITHIN 5 MINUTES", 27, "expected 'SECONDS' after 'WITHIN 5' but found 'MINUTES' at 27" },
        { "[file:name = 'x'] REPEATS 2.5 TIMES", 26, "qualifier REPEATS needs a positive whole number of TIMES but found '2.5' at 26" },
        { "[file:name = 'x'] REPEATS 0 TIMES", 26, "qualifier REPEATS needs a positive whole number of TIMES but found '0' at 26" },
        { "[file:name = 'x'] REPEATS 99999999999 TIMES", 26, "REPEATS count 99999999999 is too large at 26" },
        { "[file:name = 'x'] REPEATS 5", 27, "expected 'TIMES' after 'REPEATS 5' but found end of pattern at 27" },
        { "[file:name = 'x'] START t'2016-06-01T00:00:00Z'", 47, "expected 'STOP' after 'START t'2016-06-01T00:00:00Z'' but found end of pattern at 47" },
        { "[file:name = 'x'] START '2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'", 24, "expected a timestamp literal t'…' after START but found string '2016-06-01T00:00:00Z' at 24" },
        { "[file:name = 'x'] START t'2016-06-01T00:00:00Z' STOP t'2016-05-01T00:00:00Z'", 53, "STOP t'2016-05-01T00:00:00Z' must be later than START t'2016-06-01T00:00:00Z' at 53" },
        { "[file:name = 'x'] START t'2016-06-01T00:00:00.5Z' STOP t'2016-06-01T00:00:00.50Z'", 55, "STOP t'2016-06-01T00:00:00.50Z' must be later than START t'2016-06-01T00:00:00.5Z' at 55" },
        // Timestamp literals must be YYYY-MM-DDTHH:MM:SS[.s+]Z with a real date; the position is the offending character.
        { "[file:created = t'2016-13-01T00:00:00Z']", 23, "invalid timestamp literal at 23: month 13 is not 01-12" },
        { "[file:created = t'2015-02-29T00:00:00Z']", 26, "invalid timestamp literal at 26: day 29 does not exist in 2015-02" },
        { "[file:created = t'2016-01-01 00:00:00Z']", 28, "invalid timestamp literal at 28: expected 'T' but found ' '" },
        { "[file:created = t'2016-01-01T00:00:00+01:00']", 37, "invalid timestamp literal at 37: expected 'Z' (timestamps must be UTC)" },
        { "[file:created = t'2016-01-01T24:00:00Z']", 29, "invalid timestamp literal at 29: hour 24 is not 00-23" },
        { "[file:created = t'2016-01-01T00:00:00.Z']", 38, "invalid timestamp literal at 38: expected fraction digits after '.'" },
        { "[file:created = t'2016-01-01']", 28, "invalid timestamp literal at 28: expected the form YYYY-MM-DDTHH:MM:SS[.fraction]Z" },
        { "[file:created = t'2016-1-01T00:00:00Z']", 24, "invalid timestamp literal at 24: expected a digit but found '-'" },
        { "[file:created = t'2016-01-01T00:00:00Z]", 16, "unterminated timestamp literal starting at 16" },
        // Strings: only \' and \\ are escapes.
        { "[file:name = 'abc]", 13, "unterminated string starting at 13" },
        { @"[file:name = 'abc\']", 13, "unterminated string starting at 13" },
        { @"[file:name = 'a\b']", 15, @"invalid escape '\b' in string at 15: only \' and \\ are allowed" },
        { "[file:name = 'it''s']", 17, "expected AND, OR or ']' but found string 's' at 17" },
        // Other literals.
        { "[file:hashes.MD5 = h'abc']", 19, "invalid hex literal at 19: a hex literal needs an even number of digits" },
        { "[file:hashes.MD5 = h'zz']", 21, "invalid hex literal at 21: 'z' is not a hex digit" },
        { "[artifact:payload_bin = b'abc']", 24, "invalid binary literal at 24: base64 content must be a non-empty multiple of 4 characters" },
        { "[artifact:payload_bin = b'ab=c']", 28, "invalid binary literal at 28: '=' padding is only allowed at the end" },
        { "[artifact:payload_bin = b'A===']", 27, "invalid binary literal at 27: at most two '=' padding characters are allowed" },
        { "[file:size = 007]", 13, "integer '007' has a leading zero at 13" },
        { "[file:size > true]", 13, "operator '>' cannot compare with boolean true at 13" },
        { "[file:name LIKE 5]", 16, "expected a string literal after LIKE but found '5' at 16" },
        { "[file:name = 'x' AND file:size ISSUPERSET 3]", 42, "expected a string literal after ISSUPERSET but found '3' at 42" },
        { "[file:name IN 'a']", 14, "expected a set like ('a', 'b') after IN but found string 'a' at 14" },
        { "[file:name IN ('a', )]", 20, "expected a literal in the set but found ')' at 20" },
        { "[file:name IN ('a' 'b')]", 19, "expected ',' or ')' in the set but found string 'b' at 19" },
        // Object paths.
        { "[file:hashes.SHA-256 = 'x']", 13, "property name 'SHA-256' contains '-': quote it as 'SHA-256' at 13" },
        { "[file:hashes. = 'x']", 14, "expected a property name after '.' but found '=' at 14" },
        { "[file hashes = 'x']", 6, "expected ':' after object type 'file' but found 'hashes' at 6" },
        { "[:name = 'x']", 1, "expected an object path, EXISTS or '(' but found ':' at 1" },
        { "[EXISTS]", 7, "expected an object type such as 'file' or 'ipv4-addr' but found ']' at 7" },
        { "[file:name[x] = 'y']", 11, "expected a list index (an integer or '*') after '[' but found 'x' at 11" },
        { "[file:names[01] = 'y']", 12, "integer '01' has a leading zero at 12" },
        { "[file:a[99999999999] = 1]", 8, "list index 99999999999 is out of range at 8" },
        { "[file:a[* = 1]", 10, "expected ']' after '[*' but found '=' at 10" },
        { "[file:size.5 = 1]", 10, "expected a comparison operator after 'file:size' but found '.5' at 10" },
        { "[file:IN = 1]", 6, "expected a property name after ':' but found 'IN' at 6" },
        // Stray characters, comments, trailing garbage; a syntax error before a lexical error is reported first.
        { "[file:name = 'x' # ]", 17, "unexpected character '#' at 17" },
        { "[file:name = 'x'] /* unterminated", 18, "unterminated comment starting at 18" },
        { "[file:name = 'x'] garbage", 18, "expected AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern but found 'garbage' at 18" },
        { "[file:name = 'x'] garbage 'unterminated", 18, "expected AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern but found 'garbage' at 18" },
        { "[file:name = 'x'] \u0001", 18, "unexpected character '\\u0001' at 18" },
    };

    [Theory]
    [MemberData(nameof(InvalidPatterns))]
    public void Invalid_pattern_is_rejected_at_the_first_error(string pattern, int position, string message)
    {
        var result = StixPattern.Parse(pattern);

        Assert.False(result.Success);
        Assert.Equal(new PatternError(position, message), result.Error);
        Assert.Null(result.Expression);
        Assert.Empty(result.Observables);
    }

    [Fact]
    public void There_are_at_least_25_invalid_cases() => Assert.True(InvalidPatterns.Count >= 25);
}
