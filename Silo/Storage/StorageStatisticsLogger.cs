using Microsoft.Extensions.Logging;

namespace ThreatGraph.Silo.Storage;

/// <summary>Logs <see cref="StorageStatistics.Summary"/> every <see cref="Interval"/> while it changes (category
/// <c>ThreatGraph.Silo.Storage.StorageStatisticsLogger</c>), and once more at shutdown.</summary>
public sealed class StorageStatisticsLogger(StateTable table, ILogger<StorageStatisticsLogger> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    string _last = "";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Log();
            }
        }
        catch (OperationCanceledException)
        {
        }
        Log();
    }

    void Log()
    {
        var summary = table.Statistics.Summary();
        if (summary != _last && table.Statistics.Requests > 0)
        {
            _last = summary;
            logger.LogInformation("Grain state on {Table}: {Summary}", table.Table.Name, summary);
        }
    }
}
