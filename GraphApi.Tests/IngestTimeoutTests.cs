using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Grains.Ingest;
using ThreatGraph.TestSupport;
using ThreatGraph.Contracts.Ingest;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// An ingest call that times out (storage not keeping up) answers 503 INGEST_TIMEOUT with Retry-After, says how far
/// it got, keeps what was answered before, and the same request sent again completes the bundle.
/// </summary>
public sealed class IngestTimeoutTests : IClassFixture<IngestTimeoutTests.Host>
{
    readonly Host _host;

    public IngestTimeoutTests(Host host) => _host = host;

    public sealed class Host : ApiFactory
    {
        public TimeoutInjector Injector { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Ingest:ObjectsPerCall", "1"); // one call per object
            builder.ConfigureServices(s => s.AddSingleton<IOutgoingGrainCallFilter>(Injector));
        }
    }

    /// <summary>Makes the n-th ingest call from now (1-based) fail as Orleans' response timeout does.</summary>
    public sealed class TimeoutInjector : IOutgoingGrainCallFilter
    {
        int _countdown;

        public void FailCall(int n) => Volatile.Write(ref _countdown, n);

        public Task Invoke(IOutgoingGrainCallContext context)
        {
            if (context.InterfaceName.Contains(nameof(IIngestGrain), StringComparison.Ordinal) && Volatile.Read(ref _countdown) > 0 && Interlocked.Decrement(ref _countdown) == 0)
            {
                throw new TimeoutException("Response did not arrive on time (injected)");
            }
            return context.Invoke();
        }
    }

    [Fact]
    public async Task A_timed_out_call_is_503_with_retry_after_and_sending_again_completes_the_bundle()
    {
        var first = StixBuilder.Sdo("campaign", name: "answered before the timeout");
        var second = StixBuilder.Sdo("campaign", name: "cut off by the timeout");
        var bundle = ApiFactory.Bundle(first, second);

        _host.Injector.FailCall(2);
        using var client = _host.CreateClient();
        using (var content = new StringContent(bundle, System.Text.Encoding.UTF8, "application/json"))
        using (var response = await client.PostAsync("/api/bundles", content))
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("INGEST_TIMEOUT", body);
            Assert.Contains("1 of 2 objects were answered", body);
            Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
        }
        using (var read = await client.GetAsync($"/api/objects/{first["id"]}"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        var (status, report) = await _host.PostBundleAsync(bundle);
        Assert.Equal(HttpStatusCode.OK, status);
        var outcomes = report["objects"]!.AsArray().Select(o => o!["outcome"]!.GetValue<string>()).ToList();
        Assert.Equal(["unchanged", "created"], outcomes);
    }
}
