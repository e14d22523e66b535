using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using ThreatGraph.Silo.Health;
using ThreatGraph.Silo.Hosting;
using ThreatGraph.Silo.Telemetry;
using YamlDotNet.RepresentationModel;

namespace ThreatGraph.Durability.Tests;

/// <summary>
/// deploy/ is honest: the Kubernetes manifests, the compose file and the Dockerfile name only configuration keys the
/// code reads, the ports those keys set, and the health paths the code maps. No container engine runs here, so this
/// is what can be checked. Also keeps the README's configuration table in step with the option keys.
/// </summary>
public sealed class DeployFilesTests
{
    static readonly HashSet<string> KnownKeys = [.. Keys(typeof(ThreatGraphSiloOptions.Keys)), .. Keys(typeof(TelemetryOptions.Keys))];

    /// <summary>Variables read by something other than our options: ASP.NET Core, logging, Orleans Kubernetes hosting.</summary>
    static readonly HashSet<string> OtherVariables =
        ["ASPNETCORE_URLS", "Logging__Console__FormatterName", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID", "POD_NAME", "POD_NAMESPACE", "POD_IP"];

    [Fact]
    public void Silo_deployment_env_ports_probes_and_labels_match_the_code()
    {
        var deployment = Documents("k8s/silo-deployment.yaml").Single(d => Str(d, "kind") == "Deployment");
        var pod = Map(Map(deployment, "spec"), "template");
        var labels = Map(Map(pod, "metadata"), "labels");
        var container = (YamlMappingNode)Seq(Map(pod, "spec"), "containers").Single();
        var env = Env(container);

        AssertKnownVariables(env.Keys);
        Assert.Equal("azure", env["Orleans__Storage"]);
        Assert.Equal("true", env["Orleans__Kubernetes"]);
        Assert.Contains("Orleans__AzureStorageConnectionString", env.Keys);
        Assert.Contains("Orleans__AdvertisedIP", env.Keys);
        foreach (var v in new[] { "POD_NAME", "POD_NAMESPACE", "POD_IP" }) Assert.Contains(v, env.Keys);
        Assert.Equal(env["Orleans__ServiceId"], env["ORLEANS_SERVICE_ID"]);
        Assert.Equal(env["Orleans__ClusterId"], env["ORLEANS_CLUSTER_ID"]);
        Assert.Equal(env["Orleans__ServiceId"], Str(labels, "orleans/serviceId"));
        Assert.Equal(env["Orleans__ClusterId"], Str(labels, "orleans/clusterId"));

        var ports = Seq(container, "ports").Cast<YamlMappingNode>().ToDictionary(p => Str(p, "name"), p => Str(p, "containerPort"));
        Assert.Equal(env["Orleans__SiloPort"], ports["silo"]);
        Assert.Equal(env["Orleans__GatewayPort"], ports["gateway"]);
        Assert.Equal(UrlPort(env["ASPNETCORE_URLS"]), ports["http"]);

        Assert.Equal(HealthEndpoints.LivePath, Str(Map(Map(container, "livenessProbe"), "httpGet"), "path"));
        Assert.Equal(HealthEndpoints.ReadyPath, Str(Map(Map(container, "readinessProbe"), "httpGet"), "path"));
        Assert.Equal(HealthEndpoints.LivePath, Str(Map(Map(container, "startupProbe"), "httpGet"), "path"));
        Assert.Equal("http", Str(Map(Map(container, "readinessProbe"), "httpGet"), "port"));
        Assert.True(Map(container, "resources").Children.ContainsKey("limits"), "resources.limits");
        Assert.Equal("true", Str(Map(Map(pod, "spec"), "securityContext"), "runAsNonRoot"));

        // The PDB and the Service select these pods; the Service targets the container's ports.
        var app = Str(labels, "app");
        var pdb = Documents("k8s/pdb.yaml").Single();
        Assert.Equal("PodDisruptionBudget", Str(pdb, "kind"));
        Assert.Equal(app, Str(Map(Map(Map(pdb, "spec"), "selector"), "matchLabels"), "app"));
        var service = Documents("k8s/service.yaml").Single();
        Assert.Equal(app, Str(Map(Map(service, "spec"), "selector"), "app"));
        foreach (YamlMappingNode p in Seq(Map(service, "spec"), "ports"))
        {
            Assert.Contains(Str(p, "targetPort"), ports.Values);
        }
        var rbac = Documents("k8s/rbac.yaml");
        var role = rbac.Single(d => Str(d, "kind") == "Role");
        var verbs = Seq((YamlMappingNode)Seq(role, "rules").Single(), "verbs").Select(v => v.ToString()).ToList();
        foreach (var verb in new[] { "get", "list", "watch", "patch" }) Assert.Contains(verb, verbs);
        Assert.Equal(Str(Map(Map(pod, "spec")), "serviceAccountName"),
            Str(Map(rbac.Single(d => Str(d, "kind") == "ServiceAccount"), "metadata"), "name"));
    }

    [Fact]
    public void Compose_file_names_only_keys_the_code_reads()
    {
        var compose = Documents("compose.yaml").Single();
        var services = Map(compose, "services");
        Assert.Contains("azurite", services.Children.Keys.Select(k => k.ToString()));
        foreach (var (name, node) in services.Children)
        {
            if (name.ToString() == "azurite") continue;
            var env = Map((YamlMappingNode)node, "environment").Children
                .Where(c => c.Key.ToString() != "<<").ToDictionary(c => c.Key.ToString(), c => c.Value.ToString());
            AssertKnownVariables(env.Keys);
            foreach (var port in Seq((YamlMappingNode)node, "ports"))
            {
                Assert.EndsWith(":8080", port.ToString(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Dockerfile_is_multi_stage_non_root_and_runs_the_ci_publish_script()
    {
        var docker = File.ReadAllText(RepoRoot.PathOf("deploy", "Dockerfile"));
        Assert.True(Regex.Count(docker, @"^FROM\s", RegexOptions.Multiline) >= 2, "multi-stage");
        Assert.Contains("RUN bash deploy/build-like-dockerfile.sh", docker, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^USER\s+(?!0\b|root\b)\S+", docker);
        Assert.Contains("ThreatGraph.Silo.dll", docker, StringComparison.Ordinal);
        var expose = Regex.Match(docker, @"(?m)^EXPOSE\s+(.+)$").Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var env = Regex.Matches(docker, @"(\w+)=(\S+)").ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        AssertKnownVariables(env.Keys.Where(k => k.Contains("__", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE", StringComparison.Ordinal)));
        Assert.Contains(env["Orleans__SiloPort"], expose);
        Assert.Contains(env["Orleans__GatewayPort"], expose);
        Assert.Contains(UrlPort(env["ASPNETCORE_URLS"]), expose);
        Assert.Contains("deploy/build-like-dockerfile.sh", File.ReadAllText(RepoRoot.PathOf(".ci", "run")), StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_configuration_table_lists_every_key()
    {
        var readme = File.ReadAllText(RepoRoot.PathOf("README.md"));
        foreach (var key in KnownKeys)
        {
            Assert.True(readme.Contains($"`{key}`", StringComparison.Ordinal), $"README configuration table lacks `{key}`");
        }
    }

    static void AssertKnownVariables(IEnumerable<string> variables)
    {
        foreach (var v in variables)
        {
            Assert.True(OtherVariables.Contains(v) || KnownKeys.Contains(v.Replace("__", ":", StringComparison.Ordinal)),
                $"{v} is set in deploy/ but no option reads {v.Replace("__", ":", StringComparison.Ordinal)}");
        }
    }

    static Dictionary<string, string> Env(YamlMappingNode container) =>
        Seq(container, "env").Cast<YamlMappingNode>().ToDictionary(e => Str(e, "name"),
            e => e.Children.TryGetValue("value", out var v) ? v.ToString() : "(from " + e.Children[new YamlScalarNode("valueFrom")].ToString() + ")");

    static string UrlPort(string url) => new Uri(url.Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port.ToString(CultureInfo.InvariantCulture);

    static List<YamlMappingNode> Documents(string relative)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(RepoRoot.PathOf("deploy", relative));
        yaml.Load(reader);
        return [.. yaml.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    static YamlMappingNode Map(YamlMappingNode node) => node;

    static YamlSequenceNode Seq(YamlMappingNode node, string key) => (YamlSequenceNode)node.Children[new YamlScalarNode(key)];

    static string Str(YamlMappingNode node, string key) => node.Children[new YamlScalarNode(key)].ToString();

    static IEnumerable<string> Keys(Type t) =>
        t.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);
}
