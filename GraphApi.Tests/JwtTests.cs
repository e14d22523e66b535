using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;
using K = ThreatGraph.TestSupport.DevKeys;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>README "Who sees what": bearer tokens. A token names a known organisation and a member of it, carries
/// only the roles <c>Security:Jwt:AllowedRoles</c> allows, and a refused token is answered without key material.</summary>
public sealed class JwtTests(JwtTests.Host host) : IClassFixture<JwtTests.Host>
{
    public const string SigningKey = "jwt-tests-signing-key-0123456789-abcdefghijklmnop";

    public sealed class Host : ApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Security:Jwt:SigningKey", SigningKey);
        }
    }

    const string Invalid = """{"error":{"code":"UNAUTHENTICATED","message":"invalid bearer token"}}""";

    [Fact]
    public async Task A_validly_signed_token_reads_as_its_organisation_and_member_and_the_audit_names_the_token_not_a_claimed_key()
    {
        var from = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O");
        var tag = Guid.NewGuid().ToString("N")[..12];
        // key_id is not something a token can choose: the audit record says "jwt:<member>".
        var token = Token(new() { ["org"] = "jp-nisc", ["sub"] = "jp-nisc/analyst9", ["roles"] = new JsonArray("analyst"), ["key_id"] = "jp-analyst" });
        var (status, body) = await PostAsync(token, $"query Tok{tag} {{ typeCounts {{ type }} }}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(body["errors"]);

        var log = (await host.DataAsync("query($from: String!) { auditLog(from: $from, first: 1000) { member keyId operation } }", new { from }, K.JpAuditor))["auditLog"]!.AsArray();
        var record = Assert.Single(log, r => r!["operation"]!.GetValue<string>() == $"graphql query Tok{tag}")!;
        Assert.Equal("jp-nisc/analyst9", record["member"]!.GetValue<string>());
        Assert.Equal("jwt:jp-nisc/analyst9", record["keyId"]!.GetValue<string>());
    }

    public static TheoryData<string> ReservedOrUnknown => ["@system", "@", "@anything", "", "no-such-org"];

    [Theory]
    [MemberData(nameof(ReservedOrUnknown))]
    public async Task A_token_naming_a_reserved_or_unknown_organisation_authenticates_nobody(string org)
    {
        var red = StixBuilder.Sdo("campaign", name: "us red for the system test");
        red["object_marking_refs"] = new JsonArray(Tlp.RedId);
        var redId = red["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await host.PostBundleAsync(ApiFactory.Bundle(red), apiKey: K.UsAnalyst)).Status);

        var token = Token(new() { ["org"] = org, ["sub"] = org + "/someone", ["roles"] = new JsonArray("analyst") });
        var (status, body) = await PostAsync(token, "query($id: ID!) { object(id: $id) { id } }", new { id = redId });
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(Invalid, body.ToJsonString());

        using var client = Client(token);
        using var rest = await client.GetAsync($"/api/objects/{redId}");
        Assert.Equal(HttpStatusCode.Unauthorized, rest.StatusCode);
        Assert.DoesNotContain(redId, await rest.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_without_an_organisation_authenticates_nobody()
    {
        var (status, body) = await PostAsync(Token(new() { ["sub"] = "jp-nisc/analyst1", ["roles"] = new JsonArray("analyst") }), "{ typeCounts { type } }");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(Invalid, body.ToJsonString());
    }

    [Fact]
    public async Task A_token_for_a_member_of_another_organisation_is_refused()
    {
        // RED by us-cisa/analyst1 is for that member: a jp-nisc token calling itself us-cisa/analyst1 must not read it.
        var red = StixBuilder.Sdo("campaign", name: "us red for the member test");
        red["object_marking_refs"] = new JsonArray(Tlp.RedId);
        var redId = red["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await host.PostBundleAsync(ApiFactory.Bundle(red), apiKey: K.UsAnalyst)).Status);
        foreach (var sub in new[] { "us-cisa/analyst1", "jp-nisc", "jp-nisc/", "analyst1" })
        {
            var (status, body) = await PostAsync(Token(new() { ["org"] = "jp-nisc", ["sub"] = sub, ["roles"] = new JsonArray("analyst") }),
                "query($id: ID!) { object(id: $id) { id } }", new { id = redId });
            Assert.True(HttpStatusCode.Unauthorized == status, $"sub {sub}: {status} {body}");
            Assert.Equal(Invalid, body.ToJsonString());
        }
    }

    public static TheoryData<string, string> ForbiddenRoles => new()
    {
        { "roles", "federation" }, { "roles", "auditor" }, { "roles", "share:jp-nisc" }, { "roles", "system" }, { "roles", "enrichment" },
        { "http://schemas.microsoft.com/ws/2008/06/identity/claims/role", "federation" }, { "role", "auditor" },
    };

    [Theory]
    [MemberData(nameof(ForbiddenRoles))]
    public async Task A_token_claiming_a_role_tokens_may_not_carry_is_refused(string claim, string role)
    {
        var token = Token(new() { ["org"] = "jp-nisc", ["sub"] = "jp-nisc/analyst1", [claim] = new JsonArray("analyst", role) });
        var (status, body) = await PostAsync(token, "query($from: String!) { auditLog(from: $from) { org } }", new { from = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O") });
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(Invalid, body.ToJsonString());
    }

    [Fact]
    public async Task The_401_for_a_bad_token_carries_no_identity_model_text_and_no_key_material()
    {
        // IdentityModel's InternalId of a symmetric key is its JWK thumbprint (RFC 7638), base64url.
        var thumbprint = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(
            new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(Encoding.UTF8.GetBytes(SigningKey)).ComputeJwkThumbprint());
        var claims = new JsonObject { ["org"] = "jp-nisc", ["sub"] = "jp-nisc/analyst1", ["roles"] = new JsonArray("analyst") };
        string[] bad =
        [
            Token(claims, key: "another-signing-key-0123456789-abcdefghijklmnopq"),       // wrong key: IDX10517 names our key's InternalId
            Token(claims, key: "another-signing-key-0123456789-abcdefghijklmnopq", kid: "k1"),
            Token(claims, expires: DateTimeOffset.UtcNow.AddHours(-1)),                     // expired
            Token(claims)[..^4] + "AAAA",                                                   // bad signature
            "not.a.jwt",
        ];
        foreach (var token in bad)
        {
            foreach (var path in new[] { "/graphql", "/api/objects/campaign--00000000-0000-4000-8000-000000000000", "/taxii2/" })
            {
                using var client = Client(token);
                using var response = path == "/graphql"
                    ? await client.PostAsJsonAsync(path, new { query = "{ typeCounts { type } }" })
                    : await client.GetAsync(path);
                var body = await response.Content.ReadAsStringAsync();
                var headers = response.Headers.ToString();
                Assert.True(HttpStatusCode.Unauthorized == response.StatusCode, $"{path}: {response.StatusCode} {body}");
                foreach (var leak in new[] { thumbprint, "InternalId", "IDX", "kid", "Exception", "SecurityToken", "Microsoft.IdentityModel" })
                {
                    Assert.DoesNotContain(leak, body, StringComparison.Ordinal);
                    Assert.DoesNotContain(leak, headers, StringComparison.Ordinal);
                }
                Assert.Contains("invalid bearer token", body, StringComparison.Ordinal);
                Assert.DoesNotContain("error_description", headers, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_websocket_upgrade_with_a_system_token_is_refused()
    {
        var ws = host.Server.CreateWebSocketClient();
        ws.SubProtocols.Add("graphql-transport-ws");
        var token = Token(new() { ["org"] = "@system", ["sub"] = "@system", ["roles"] = new JsonArray("analyst") });
        ws.ConfigureRequest = r => r.Headers.Authorization = "Bearer " + token;
        await Assert.ThrowsAnyAsync<Exception>(() => ws.ConnectAsync(new Uri(host.Server.BaseAddress, "graphql"), CancellationToken.None));
    }

    [Theory]
    [InlineData("federation")]
    [InlineData("enrichment")]
    [InlineData("system")]
    [InlineData("share:us-cisa")]
    public void Allowing_tokens_a_key_only_role_stops_the_start_up(string role)
    {
        using var factory = new AllowedRolesHost(role);
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains($"Security:Jwt:AllowedRoles may not contain '{role}'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deployment_that_allows_the_auditor_role_to_tokens_gets_token_auditors_of_their_own_organisation()
    {
        using var factory = new AllowedRolesHost("analyst", "auditor");
        using var client = factory.ClientFor(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            Token(new() { ["org"] = "us-cisa", ["sub"] = "us-cisa/auditor7", ["roles"] = new JsonArray("auditor") }));
        var from = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O");
        using var own = await client.PostAsJsonAsync("/graphql", new { query = "query($from: String!) { auditLog(from: $from) { org } }", variables = new { from } });
        var body = JsonNode.Parse(await own.Content.ReadAsStringAsync())!;
        Assert.True(own.StatusCode == HttpStatusCode.OK && body["errors"] is null, body.ToJsonString());
        using var other = await client.PostAsJsonAsync("/graphql", new { query = "query($from: String!) { auditLog(from: $from, org: \"jp-nisc\") { org } }", variables = new { from } });
        Assert.Equal("FORBIDDEN", JsonNode.Parse(await other.Content.ReadAsStringAsync())!["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    sealed class AllowedRolesHost(params string[] roles) : ApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Security:Jwt:SigningKey", SigningKey);
            for (var i = 0; i < roles.Length; i++)
            {
                builder.UseSetting($"Security:Jwt:AllowedRoles:{i}", roles[i]);
            }
        }
    }

    HttpClient Client(string token)
    {
        var client = host.ClientFor(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(string token, string query, object? variables = null)
    {
        using var client = Client(token);
        using var response = await client.PostAsJsonAsync("/graphql", new { query, variables });
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    /// <summary>An HS256 JWT, written by hand (no token library): header.payload.signature, base64url.</summary>
    public static string Token(JsonObject claims, string key = SigningKey, DateTimeOffset? expires = null, string? kid = null)
    {
        var header = new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT" };
        if (kid is not null) header["kid"] = kid;
        var payload = claims.DeepClone().AsObject();
        var exp = expires ?? DateTimeOffset.UtcNow.AddHours(1);
        payload["exp"] = exp.ToUnixTimeSeconds();
        payload["nbf"] = exp.AddHours(-2).ToUnixTimeSeconds();
        var unsigned = B64(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + B64(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        return unsigned + "." + B64(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes(unsigned)));
    }

    static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
