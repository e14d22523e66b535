namespace ThreatGraph.GraphApi.Security;

/// <summary>The contents of <see cref="SecurityOptions.KeysFile"/> as last read: an options value, so that
/// <c>IOptionsMonitor&lt;ApiKeysFile&gt;</c> reads it again whenever the file changes (<see cref="ApiKeysFileSource"/>).</summary>
public sealed class ApiKeysFile
{
    /// <summary>The file's full path; null when no keys file is configured.</summary>
    public string? Path { get; set; }

    /// <summary>The file's <c>keys</c>, as written (the key store refuses bad entries one by one).</summary>
    public List<ApiKeyOptions> Keys { get; set; } = [];

    /// <summary>Why the file could not be read (missing, half written, not JSON); null when it was read.</summary>
    public Exception? ReadError { get; set; }
}
