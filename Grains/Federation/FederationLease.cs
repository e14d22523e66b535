namespace ThreatGraph.Grains.Federation;

/// <summary>
/// Who may pull from a peer right now: one holder at a time, until its lease runs out on the given clock; the holder
/// may renew it. Kept in memory by the peer grain (a lost lease after a restart is simply taken again).
/// </summary>
public sealed class FederationLease(TimeProvider clock)
{
    string? _holder;
    DateTimeOffset _until;

    /// <summary>Takes or renews the lease for <paramref name="ttl"/>; false while another holder's lease runs.</summary>
    public bool TryTake(string holder, TimeSpan ttl)
    {
        var now = clock.GetUtcNow();
        if (_holder is not null && _holder != holder && now < _until)
        {
            return false;
        }
        _holder = holder;
        _until = now + ttl;
        return true;
    }
}
