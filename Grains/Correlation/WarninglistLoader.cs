using Microsoft.Extensions.Logging;
using ThreatGraph.Stix.Warninglists;

namespace ThreatGraph.Grains.Correlation;

/// <summary>The warninglists of the over-correlation guard, from configuration: the built-in lists (unless turned off)
/// and every <c>*/list.json</c> under the MISP folder, logging which lists loaded (and loudly when none).</summary>
public static class WarninglistLoader
{
    public static Warninglists Load(string? configuredPath, bool builtin, ILogger logger)
    {
        var lists = builtin ? BuiltinWarninglists.All().ToList() : [];
        if (string.IsNullOrWhiteSpace(configuredPath))
        {
            if (lists.Count == 0)
            {
                logger.LogWarning("Correlation:BuiltinWarninglists is off and Correlation:WarninglistsPath is empty: NO warninglists loaded; only the degree cap guards against over-correlation");
            }
            else
            {
                logger.LogInformation("Correlation guard: {Count} built-in warninglists ({Lists}); set Correlation:WarninglistsPath to add MISP's",
                    lists.Count, Describe(lists));
            }
            return new Warninglists(lists);
        }
        var folder = Locate(configuredPath);
        if (folder is null)
        {
            logger.LogWarning("MISP warninglists folder '{Path}' NOT FOUND (Correlation:WarninglistsPath): only the {Count} built-in lists exclude known-benign values from correlation",
                configuredPath, lists.Count);
            return new Warninglists(lists);
        }
        var (misp, skipped) = WarninglistFolder.Read(folder);
        foreach (var message in skipped)
        {
            logger.LogWarning("{Message}", message);
        }
        lists.AddRange(misp);
        logger.LogWarning("Correlation guard: {Count} warninglists, MISP's from {Folder}: {Lists}", lists.Count, folder, Describe(lists));
        return new Warninglists(lists);
    }

    public static string? Locate(string configuredPath)
    {
        if (Path.IsPathRooted(configuredPath))
        {
            return Directory.Exists(configuredPath) ? configuredPath : null;
        }
        var fromCwd = Path.GetFullPath(configuredPath);
        if (Directory.Exists(fromCwd))
        {
            return fromCwd;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.GetFullPath(Path.Combine(dir.FullName, configuredPath));
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    static string Describe(IEnumerable<Warninglist> lists) => string.Join(", ", lists.Select(l => $"{l.Key} ({l.Count})"));
}
