namespace ThreatGraph.Enrichment.Reference;

/// <summary>Where the shipped reference data is: <c>refdata/</c> beside the application, copied there by the build
/// from the pinned npm packages (ReferenceData/ReferenceData.targets).</summary>
public static class ReferenceDataFiles
{
    public const string FolderName = "refdata";

    public static string Folder => Path.Combine(AppContext.BaseDirectory, FolderName);

    /// <summary>The path of one shipped file; a missing file fails with what to do about it.</summary>
    public static string PathOf(string fileName)
    {
        var path = Path.Combine(Folder, fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"reference data file {fileName} is missing from {Folder}: it is copied there by the build of Enrichment.Reference (npm ci of ReferenceData/package-lock.json)", path);
        }
        return path;
    }
}
