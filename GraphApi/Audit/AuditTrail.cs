using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ThreatGraph.Contracts.Audit;
using ThreatGraph.Contracts.Security;

namespace ThreatGraph.GraphApi.Audit;

/// <summary>
/// Collects audit records and writes them to the audit grains of their hour and organisation in batches (every 200 ms
/// or 500 records), so auditing costs a request a queue write, not a storage write, and a batch costs one append per
/// organisation in it, never a rewrite of what the hour already holds. Stopping the host flushes what is queued; a crash
/// can lose at most the last 200 ms of records.
/// </summary>
public sealed class AuditTrail(IGrainFactory grains, ILogger<AuditTrail> log, TimeProvider clock) : BackgroundService
{
    const int BatchSize = 500;
    static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    readonly Channel<AuditRecord> _queue = Channel.CreateUnbounded<AuditRecord>(new() { SingleReader = true });

    public void Record(CallerIdentity caller, string operation, bool isWrite, IEnumerable<string> objects, string outcome)
    {
        var touched = objects.Distinct(StringComparer.Ordinal).Take(1000).ToList();
        _queue.Writer.TryWrite(new AuditRecord(clock.GetUtcNow(), caller.Org, caller.Member, caller.KeyId, operation, isWrite, touched, outcome));
    }

    /// <summary>Writes everything queued so far (tests, shutdown).</summary>
    public async Task FlushAsync()
    {
        var batch = new List<AuditRecord>();
        while (_queue.Reader.TryRead(out var r))
        {
            batch.Add(r);
        }
        await WriteAsync(batch);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _queue.Reader.WaitToReadAsync(stoppingToken);
                await Task.Delay(Interval, clock, stoppingToken);
                var batch = new List<AuditRecord>();
                while (batch.Count < BatchSize && _queue.Reader.TryRead(out var r))
                {
                    batch.Add(r);
                }
                await WriteAsync(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync();
    }

    async Task WriteAsync(List<AuditRecord> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }
        try
        {
            await Task.WhenAll(batch.GroupBy(r => IAuditLogGrain.KeyOf(r.At, r.Org))
                .Select(g => grains.GetGrain<IAuditLogGrain>(g.Key).AppendAsync([.. g])));
        }
        catch (Exception e)
        {
            log.LogError(e, "Could not write {Count} audit records", batch.Count);
        }
    }
}
