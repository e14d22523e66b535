using ThreatGraph.Enrichment.Reference.Domains;

namespace ThreatGraph.Enrichment.Reference.Tests;

/// <summary>The public suffix list shipped with the application (npm psl, pinned), with the list's own algorithm.</summary>
public sealed class RegisteredDomainsTests
{
    static RegisteredDomains Psl => RegisteredDomains.Shipped;

    [Theory]
    [InlineData("a.b.example.co.uk", "example.co.uk")]
    [InlineData("example.co.uk", "example.co.uk")]
    [InlineData("www.example.com", "example.com")]
    [InlineData("WWW.Example.COM", "example.com")]
    [InlineData("www.example.com.", "example.com")] // trailing dot: the fully qualified form
    [InlineData(" update-check.example.net ", "example.net")]
    [InlineData("a.b.c.unlisted-tld", "c.unlisted-tld")] // no rule: the default rule "*"
    [InlineData("evil.blogspot.com", "evil.blogspot.com")] // private section: each blog is its own registrant
    [InlineData("x.evil.github.io", "evil.github.io")]
    public void The_registered_domain_is_the_public_suffix_and_one_more_label(string host, string registered) =>
        Assert.Equal(registered, Psl.RegisteredDomain(host));

    [Theory]
    [InlineData("foo.bar.ck", "foo.bar.ck")] // *.ck: bar.ck is a public suffix
    [InlineData("bar.ck", null)]
    [InlineData("www.ck", "www.ck")] // !www.ck: the exception makes ck the suffix
    [InlineData("a.b.www.ck", "www.ck")]
    [InlineData("city.kobe.jp", "city.kobe.jp")] // *.kobe.jp with !city.kobe.jp
    [InlineData("a.city.kobe.jp", "city.kobe.jp")]
    [InlineData("a.chuo.kobe.jp", "a.chuo.kobe.jp")]
    public void Wildcards_match_one_label_and_exceptions_prevail(string host, string? registered) =>
        Assert.Equal(registered, Psl.RegisteredDomain(host));

    [Theory]
    [InlineData("www.shop.公司.cn", "shop.公司.cn")] // a Unicode rule (公司.cn) matched by a Unicode host
    [InlineData("www.shop.xn--55qx5d.cn", "shop.xn--55qx5d.cn")] // … and by its punycode form, kept as written
    [InlineData("mail.bücher.de", "bücher.de")]
    [InlineData("mail.xn--bcher-kva.de", "xn--bcher-kva.de")]
    public void Internationalised_names_match_in_either_form(string host, string registered) =>
        Assert.Equal(registered, Psl.RegisteredDomain(host));

    [Theory]
    [InlineData("co.uk")]
    [InlineData("uk")]
    [InlineData("com.")]
    [InlineData("公司.cn")]
    [InlineData("blogspot.com")]
    public void A_bare_public_suffix_has_none(string host) => Assert.Null(Psl.RegisteredDomain(host));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("2001:db8::1")]
    [InlineData("[2001:db8::1]")]
    [InlineData("10.1.2")]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("a..example.com")]
    [InlineData("this-label-is-much-longer-than-the-sixty-three-characters-dns-allows.example.com")]
    public void Addresses_and_invalid_names_have_none(string host) => Assert.Null(Psl.RegisteredDomain(host));

    [Fact]
    public void The_shipped_list_is_whole() => Assert.True(Psl.RuleCount > 9000, $"{Psl.RuleCount} rules");

    [Fact]
    public void A_rules_file_that_is_not_the_list_fails_clearly()
    {
        using var folder = new TempFolder();
        folder.Write("rules.js", "export default [", "  \"com\",", "  com.ac,", "];");
        Assert.Equal("rules.js line 3: not a quoted rule: com.ac,",
            Assert.Throws<InvalidDataException>(() => RegisteredDomains.Load(Path.Combine(folder.Path, "rules.js"))).Message);
        folder.Write("rules.js", "export default [", "  \"com\",", "];");
        Assert.Equal("rules.js has 1 rules: not the public suffix list (it has about 10,000)",
            Assert.Throws<InvalidDataException>(() => RegisteredDomains.Load(Path.Combine(folder.Path, "rules.js"))).Message);
    }

    [Fact]
    public void Rules_given_directly_follow_the_same_algorithm()
    {
        var psl = new RegisteredDomains(["uk", "co.uk", "*.sch.uk", "!www.sch.uk"]);
        Assert.Equal("a.co.uk", psl.RegisteredDomain("x.a.co.uk"));
        Assert.Equal("a.b.sch.uk", psl.RegisteredDomain("x.a.b.sch.uk"));
        Assert.Equal("www.sch.uk", psl.RegisteredDomain("x.www.sch.uk"));
        Assert.Null(psl.RegisteredDomain("b.sch.uk"));
        Assert.Equal("example.org", psl.RegisteredDomain("www.example.org"));
        Assert.Throws<InvalidDataException>(() => new RegisteredDomains(["a..b"]));
    }
}
