using ThreatGraph.Stix.Patterning;
using Xunit;

namespace ThreatGraph.Stix.Tests.Patterning;

public sealed class StixPatternTests
{
    [Fact]
    public void Spec_examples_are_all_accepted()
    {
        var examples = SharedPatternData.SpecExamples();

        Assert.Equal(23, examples.Count);
        var failures = examples
            .Select(p => (Pattern: p, Result: StixPattern.Parse(p)))
            .Where(x => !x.Result.Success)
            .Select(x => $"{x.Pattern} -> {x.Result.Error}")
            .ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Every_stix_indicator_pattern_in_the_shared_data_is_accepted()
    {
        var patterns = SharedPatternData.IndicatorPatterns();

        // 393 indicators with pattern_type "stix" (378 distinct patterns) across oasis-examples, ioc-bundles,
        // misp/misp-stix and taxii; incidents/ has none.
        Assert.Equal(393, patterns.Count);
        var failures = patterns
            .Select(x => (x.File, x.Pattern, Result: StixPattern.Parse(x.Pattern)))
            .Where(x => !x.Result.Success)
            .Select(x => $"{x.File}: {x.Pattern} -> {x.Result.Error}")
            .ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Canonical_form_of_every_known_valid_pattern_parses_back_to_itself()
    {
        var patterns = SharedPatternData.SpecExamples().Concat(SharedPatternData.IndicatorPatterns().Select(x => x.Pattern));

        foreach (var pattern in patterns)
        {
            var canonical = StixPattern.Parse(pattern).Expression!.ToString()!;
            var again = StixPattern.Parse(canonical);
            Assert.True(again.Success, $"{pattern} -> {canonical} -> {again.Error}");
            Assert.Equal(canonical, again.Expression!.ToString());
            Assert.Equal(StixPattern.Parse(pattern).Observables, again.Observables);
        }
    }

    [Theory]
    // Observation operators: AND binds tighter than OR, OR tighter than FOLLOWEDBY.
    [InlineData("[a:b = 1] AND [c:d = 2] OR [e:f = 3] FOLLOWEDBY [g:h = 4]",
        "(([a:b = 1] AND [c:d = 2]) OR [e:f = 3]) FOLLOWEDBY [g:h = 4]")]
    [InlineData("[a:b = 1] FOLLOWEDBY [c:d = 2] OR [e:f = 3] AND [g:h = 4]",
        "[a:b = 1] FOLLOWEDBY ([c:d = 2] OR ([e:f = 3] AND [g:h = 4]))")]
    [InlineData("([a:b = 1] FOLLOWEDBY [c:d = 2]) AND [e:f = 3]", "([a:b = 1] FOLLOWEDBY [c:d = 2]) AND [e:f = 3]")]
    [InlineData("[a:b = 1] AND [c:d = 2] AND [e:f = 3]", "[a:b = 1] AND [c:d = 2] AND [e:f = 3]")]
    [InlineData("(([a:b = 1]))", "[a:b = 1]")]
    // Comparison operators: AND binds tighter than OR.
    [InlineData("[a:b = 1 OR a:c = 2 AND a:d = 3]", "[a:b = 1 OR (a:c = 2 AND a:d = 3)]")]
    [InlineData("[(a:b = 1 OR a:c = 2) AND a:d = 3]", "[(a:b = 1 OR a:c = 2) AND a:d = 3]")]
    [InlineData("[a:b = 1 AND a:c = 2 OR a:d = 3 AND a:e = 4]", "[(a:b = 1 AND a:c = 2) OR (a:d = 3 AND a:e = 4)]")]
    // Qualifiers bind to the observation expression just before them, and stack.
    [InlineData("([a:b = 1] AND [c:d = 2]) WITHIN 5 SECONDS", "([a:b = 1] AND [c:d = 2]) WITHIN 5 SECONDS")]
    [InlineData("[a:b = 1] REPEATS 5 TIMES WITHIN 1800 SECONDS", "[a:b = 1] REPEATS 5 TIMES WITHIN 1800 SECONDS")]
    [InlineData("[a:b = 1] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00.123Z'",
        "[a:b = 1] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00.123Z'")]
    [InlineData("[a:b = 1] WITHIN +0.5 SECONDS", "[a:b = 1] WITHIN 0.5 SECONDS")]
    // Spelling: whitespace and comments vanish, == and <> are = and !=, keys are quoted only when they must be.
    [InlineData(" [ file : hashes . 'MD5' == 'x' ] /* block */ // line", "[file:hashes.MD5 = 'x']")]
    [InlineData("[file:'name' <> 'x']", "[file:name != 'x']")]
    [InlineData("[x:'IN' = 1 AND x:'a b'[+1].c[-1] = 2]", "[x:'IN' = 1 AND x:'a b'[1].c[-1] = 2]")]
    [InlineData("[x:a NOT IN ('a', 1, -2.5, true, t'2016-06-01T00:00:00Z', h'00ff', b'AAA=')]",
        "[x:a NOT IN ('a', 1, -2.5, true, t'2016-06-01T00:00:00Z', h'00ff', b'AAA=')]")]
    [InlineData("[x:a IN ()]", "[x:a IN ()]")]
    [InlineData("[NOT EXISTS x:a AND EXISTS x:b]", "[NOT EXISTS x:a AND EXISTS x:b]")]
    [InlineData("[x:a NOT LIKE 'a%' OR x:b MATCHES '^a$' OR x:c ISSUBSET '10.0.0.0/8' OR x:d NOT ISSUPERSET '10.0.0.0/8']",
        "[x:a NOT LIKE 'a%' OR x:b MATCHES '^a$' OR x:c ISSUBSET '10.0.0.0/8' OR x:d NOT ISSUPERSET '10.0.0.0/8']")]
    [InlineData("[x:a<1 AND x:b<=+2 AND x:c>.5 AND x:d>=-0.5]", "[x:a < 1 AND x:b <= 2 AND x:c > .5 AND x:d >= -0.5]")]
    public void Parses_to_the_expected_canonical_form(string pattern, string canonical)
    {
        var result = StixPattern.Parse(pattern);

        Assert.True(result.Success, result.Error?.ToString());
        Assert.Null(result.Error);
        Assert.Equal(canonical, result.Expression!.ToString());
    }

    [Fact]
    public void Ast_of_a_qualified_compound_pattern_has_the_expected_shape()
    {
        var result = StixPattern.Parse(
            "([file:hashes.MD5 = 'abc'] FOLLOWEDBY [win-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo']) WITHIN 300 SECONDS");

        var qualified = Assert.IsType<QualifiedObservationExpression>(result.Expression);
        var within = Assert.IsType<WithinQualifier>(Assert.Single(qualified.Qualifiers));
        Assert.Equal(300m, within.Seconds);
        var compound = Assert.IsType<CompoundObservationExpression>(qualified.Inner);
        Assert.Equal(ObservationOperator.FollowedBy, compound.Operator);
        Assert.Equal(2, compound.Operands.Count);
        var first = Assert.IsType<PropertyComparison>(Assert.IsType<ObservationExpression>(compound.Operands[0]).Comparison);
        Assert.Equal("file", first.Path.ObjectType);
        Assert.Equal([new KeyPathStep("hashes"), new KeyPathStep("MD5")], first.Path.Steps);
        Assert.False(first.Negated);
        Assert.Equal(ComparisonOperator.Equal, first.Operator);
        Assert.Equal(new PatternLiteral(PatternLiteralKind.String, "abc"), first.Value);
        var second = Assert.IsType<PropertyComparison>(Assert.IsType<ObservationExpression>(compound.Operands[1]).Comparison);
        Assert.Equal(new PatternLiteral(PatternLiteralKind.String, @"HKEY_LOCAL_MACHINE\foo"), second.Value);
    }

    [Fact]
    public void Ast_of_start_stop_and_repeats_qualifiers()
    {
        var result = StixPattern.Parse(
            "[a:b = 1] REPEATS 3 TIMES START t'2016-06-01T00:00:00Z' STOP t'2016-06-01T00:00:00.001Z'");

        var qualified = Assert.IsType<QualifiedObservationExpression>(result.Expression);
        Assert.Equal(
            [new RepeatsQualifier(3), new StartStopQualifier("2016-06-01T00:00:00Z", "2016-06-01T00:00:00.001Z")],
            qualified.Qualifiers);
    }

    [Theory]
    [InlineData(@"'it\'s'", PatternLiteralKind.String, "it's")]
    [InlineData(@"'C:\\Windows\\System32'", PatternLiteralKind.String, @"C:\Windows\System32")]
    [InlineData("'line\nbreak'", PatternLiteralKind.String, "line\nbreak")]
    [InlineData("''", PatternLiteralKind.String, "")]
    [InlineData("+5", PatternLiteralKind.Integer, "5")]
    [InlineData("0", PatternLiteralKind.Integer, "0")]
    [InlineData("-12", PatternLiteralKind.Integer, "-12")]
    [InlineData("7.0", PatternLiteralKind.Float, "7.0")]
    [InlineData(".5", PatternLiteralKind.Float, ".5")]
    [InlineData("-.5", PatternLiteralKind.Float, "-.5")]
    [InlineData("007.5", PatternLiteralKind.Float, "007.5")]
    [InlineData("true", PatternLiteralKind.Boolean, "true")]
    [InlineData("false", PatternLiteralKind.Boolean, "false")]
    [InlineData("t'2016-02-29T23:59:60.123456Z'", PatternLiteralKind.Timestamp, "2016-02-29T23:59:60.123456Z")]
    [InlineData("h'ffD8'", PatternLiteralKind.Hex, "ffD8")]
    [InlineData("h''", PatternLiteralKind.Hex, "")]
    [InlineData("b'SGVsbG8='", PatternLiteralKind.Binary, "SGVsbG8=")]
    [InlineData("b'AA=='", PatternLiteralKind.Binary, "AA==")]
    [InlineData("b'ab+/'", PatternLiteralKind.Binary, "ab+/")]
    public void Literals_are_typed_and_unescaped(string literal, PatternLiteralKind kind, string value)
    {
        var result = StixPattern.Parse($"[x:a = {literal}]");

        Assert.True(result.Success, result.Error?.ToString());
        var comparison = Assert.IsType<PropertyComparison>(Assert.IsType<ObservationExpression>(result.Expression).Comparison);
        Assert.Equal(new PatternLiteral(kind, value), comparison.Value);
        Assert.Equal(value, Assert.Single(result.Observables).Value);
    }

    [Fact]
    public void Observables_of_a_mixed_pattern_are_listed_in_order()
    {
        var result = StixPattern.Parse(
            "[file:hashes.'SHA-256' = 'aa' OR file:hashes.'MD5' = 'bb'] AND " +
            "[network-traffic:dst_ref.value = '203.0.113.33/32' AND network-traffic:dst_port >= 443] " +
            "FOLLOWEDBY [domain-name:resolves_to_refs[*].value IN ('198.51.100.1', '198.51.100.2') " +
            "AND NOT EXISTS domain-name:x_flag AND domain-name:value NOT = 'example.com'] WITHIN 60 SECONDS");

        Assert.True(result.Success, result.Error?.ToString());
        Assert.Equal(
            [
                new PatternObservable("file", "hashes.'SHA-256'", "=", "aa"),
                new PatternObservable("file", "hashes.MD5", "=", "bb"),
                new PatternObservable("network-traffic", "dst_ref.value", "=", "203.0.113.33/32"),
                new PatternObservable("network-traffic", "dst_port", ">=", "443"),
                new PatternObservable("domain-name", "resolves_to_refs[*].value", "IN", "198.51.100.1"),
                new PatternObservable("domain-name", "resolves_to_refs[*].value", "IN", "198.51.100.2"),
                new PatternObservable("domain-name", "x_flag", "NOT EXISTS", ""),
                new PatternObservable("domain-name", "value", "NOT =", "example.com"),
            ],
            result.Observables);
        Assert.Equal(
            [
                new PatternObservable("file", "hashes.'SHA-256'", "=", "aa"),
                new PatternObservable("file", "hashes.MD5", "=", "bb"),
            ],
            result.EqualityObservables);
    }

    [Fact]
    public void Observables_of_spec_examples()
    {
        var email = StixPattern.Parse(
            @"[email-message:from_ref.value MATCHES '.+\\@example\\.com$' AND email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\.exe$']");
        Assert.Equal(
            [
                new PatternObservable("email-message", "from_ref.value", "MATCHES", @".+\@example\.com$"),
                new PatternObservable("email-message", "body_multipart[*].body_raw_ref.name", "MATCHES", @"^Final Report.+\.exe$"),
            ],
            email.Observables);
        Assert.Empty(email.EqualityObservables);

        var pe = StixPattern.Parse("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]");
        Assert.Equal([new PatternObservable("file", "extensions.'windows-pebinary-ext'.sections[*].entropy", ">", "7.0")], pe.Observables);

        var mixed = StixPattern.Parse(
            "[(file:name = 'pdf.exe' OR file:size = '371712') AND file:created = t'2014-01-13T07:03:17Z']");
        var expected = new PatternObservable[]
        {
            new("file", "name", "=", "pdf.exe"),
            new("file", "size", "=", "371712"),
            new("file", "created", "=", "2014-01-13T07:03:17Z"),
        };
        Assert.Equal(expected, mixed.Observables);
        Assert.Equal(expected, mixed.EqualityObservables);

        var usb = StixPattern.Parse("[x-usb-device:usbdrive.serial_number = '575833314133343231313937']");
        Assert.Equal([new PatternObservable("x-usb-device", "usbdrive.serial_number", "=", "575833314133343231313937")], usb.EqualityObservables);

        var hex = StixPattern.Parse("[file:mime_type = 'image/bmp' AND file:magic_number_hex = h'ffd8']");
        Assert.Equal(
            [new PatternObservable("file", "mime_type", "=", "image/bmp"), new PatternObservable("file", "magic_number_hex", "=", "ffd8")],
            hex.Observables);
    }

    [Fact]
    public void Equality_observables_keep_plain_properties_and_drop_refs_indexes_negations_and_other_operators()
    {
        var result = StixPattern.Parse(
            "[ipv4-addr:value = '203.0.113.5' AND ipv4-addr:value != '10.0.0.1' AND ipv4-addr:value NOT = '10.0.0.2'" +
            " AND network-traffic:dst_ref.value = '203.0.113.6' AND network-traffic:dst_ref = 'ipv4-addr--1'" +
            " AND email-message:to_refs[0].value = 'a@example.com' AND file:size == 42 AND url:value LIKE 'http%'" +
            " AND file:name IN ('a.exe')]");

        Assert.Equal(
            [
                new PatternObservable("ipv4-addr", "value", "=", "203.0.113.5"),
                new PatternObservable("network-traffic", "dst_ref", "=", "ipv4-addr--1"),
                new PatternObservable("file", "size", "=", "42"),
            ],
            result.EqualityObservables);
        Assert.Equal(9, result.Observables.Count);
    }

    [Fact]
    public void Equality_observables_of_the_shared_indicators_name_their_iocs()
    {
        var result = StixPattern.Parse(
            "[domain-name:value = 'www.example.com' OR ipv4-addr:value = '198.51.100.3' OR ipv4-addr:value = '198.51.100.4']");

        Assert.Equal(
            [
                new PatternObservable("domain-name", "value", "=", "www.example.com"),
                new PatternObservable("ipv4-addr", "value", "=", "198.51.100.3"),
                new PatternObservable("ipv4-addr", "value", "=", "198.51.100.4"),
            ],
            result.EqualityObservables);
    }

    [Fact]
    public void Failed_parse_has_no_expression_and_no_observables()
    {
        var result = StixPattern.Parse("[file:name = ]");

        Assert.False(result.Success);
        Assert.Null(result.Expression);
        Assert.Empty(result.Observables);
        Assert.Empty(result.EqualityObservables);
    }

    [Fact]
    public void Null_input_is_an_error_not_an_exception()
    {
        var result = StixPattern.Parse(null!);

        Assert.False(result.Success);
        Assert.Equal(new PatternError(0, "pattern is null"), result.Error);
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_accepted_and_beyond_it_rejected()
    {
        var atLimit = new string('(', 99) + "[a:b = 1]" + new string(')', 99);
        var beyond = new string('(', 100) + "[a:b = 1]" + new string(')', 100);

        Assert.True(StixPattern.Parse(atLimit).Success);
        Assert.Equal(
            new PatternError(100, "brackets and parentheses nest deeper than 100 levels at 100"),
            StixPattern.Parse(beyond).Error);
    }

    [Fact]
    public void Long_chains_do_not_nest()
    {
        var chain = string.Join(" AND ", Enumerable.Range(0, 5000).Select(i => $"[a:b = {i}]"));

        var result = StixPattern.Parse(chain);

        Assert.True(result.Success, result.Error?.ToString());
        Assert.Equal(5000, Assert.IsType<CompoundObservationExpression>(result.Expression).Operands.Count);
        Assert.Equal(5000, result.EqualityObservables.Count);
    }
}
