using Azure;

namespace ThreatGraph.Silo.Storage;

/// <summary>
/// The ETag a grain holds for its state: the row's ETag, followed by <c>#</c> and the blob name when the state is in a
/// blob. The row's ETag decides every precondition; the blob name lets a later write or clear delete the blob it
/// replaces without reading the row first. Row ETags (<c>W/"datetime'…'"</c>) never hold '#', and blob names never do.
/// </summary>
public static class StateETag
{
    const char Separator = '#';

    public static string Compose(ETag rowETag, string? blob) => blob is null ? rowETag.ToString() : $"{rowETag}{Separator}{blob}";

    public static (ETag? Row, string? Blob) Parse(string? eTag)
    {
        if (string.IsNullOrEmpty(eTag))
        {
            return (null, null);
        }
        var at = eTag.IndexOf(Separator, StringComparison.Ordinal);
        return at < 0 ? (new ETag(eTag), null) : (new ETag(eTag[..at]), eTag[(at + 1)..]);
    }
}
