using ThreatGraph.GraphApi.Federation;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>Wrong federation settings stop the start-up with the setting's name.</summary>
public sealed class FederationOptionsTests
{
    static FederationPeerOptions Good() => new()
    {
        Name = "jp", Url = "http://127.0.0.1:5080/taxii2/threatgraph/", ApiKey = "k", ReceivingOrg = "us-cisa",
    };

    [Fact]
    public void A_complete_peer_is_valid() =>
        Assert.True(new FederationOptionsValidator().Validate(null, new FederationOptions { Peers = [Good()] }).Succeeded);

    [Theory]
    [InlineData("Url", "ftp://x/", "Federation:Peers:0:Url must be the peer's TAXII API root")]
    [InlineData("Url", "not a url", "Federation:Peers:0:Url must be the peer's TAXII API root")]
    [InlineData("ApiKey", "", "Federation:Peers:0:ApiKey is required")]
    [InlineData("ReceivingOrg", " ", "Federation:Peers:0:ReceivingOrg is required")]
    [InlineData("Name", "", "Federation:Peers:0:Name is required")]
    [InlineData("PollSeconds", "0", "Federation:Peers:0:PollSeconds must be between")]
    [InlineData("PageSize", "0", "Federation:Peers:0:PageSize must be between")]
    public void A_bad_setting_is_named(string setting, string value, string expected)
    {
        var peer = Good();
        switch (setting)
        {
            case "Url": peer.Url = value; break;
            case "ApiKey": peer.ApiKey = value; break;
            case "ReceivingOrg": peer.ReceivingOrg = value; break;
            case "Name": peer.Name = value; break;
            case "PollSeconds": peer.PollSeconds = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "PageSize": peer.PageSize = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
        }
        var result = new FederationOptionsValidator().Validate(null, new FederationOptions { Peers = [peer] });
        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "green", "Federation:Peers:0:Organisation is required for a plain TAXII server")]
    [InlineData("oasis", "", "Federation:Peers:0:DefaultTlp is required for a plain TAXII server")]
    [InlineData("oasis", "purple", "not 'purple'")]
    public void A_plain_TAXII_server_needs_an_organisation_and_a_default_TLP(string organisation, string tlp, string expected)
    {
        var peer = Good();
        (peer.Kind, peer.Organisation, peer.DefaultTlp) = (FederationPeerKind.Taxii, organisation, tlp);
        var result = new FederationOptionsValidator().Validate(null, new FederationOptions { Peers = [peer] });
        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_complete_plain_TAXII_server_is_valid()
    {
        var peer = Good();
        (peer.Kind, peer.Organisation, peer.DefaultTlp, peer.AuthScheme) = (FederationPeerKind.Taxii, "oasis", "Amber+Strict", "Basic");
        Assert.True(new FederationOptionsValidator().Validate(null, new FederationOptions { Peers = [peer] }).Succeeded);
    }

    [Fact]
    public void Two_peers_with_one_name_are_refused()
    {
        var result = new FederationOptionsValidator().Validate(null, new FederationOptions { Peers = [Good(), Good()] });
        Assert.Contains("the name 'jp' is used twice", result.FailureMessage, StringComparison.Ordinal);
    }
}
