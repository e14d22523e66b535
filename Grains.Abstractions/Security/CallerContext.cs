namespace ThreatGraph.Contracts.Security;

/// <summary>
/// The caller's identity travels with every grain call in Orleans' RequestContext (set by the gateway per request,
/// by service clients for enrichment jobs). No identity = anonymous.
/// </summary>
public static class CallerContext
{
    const string Key = "tg.caller";

    public static CallerIdentity Current => RequestContext.Get(Key) as CallerIdentity ?? CallerIdentity.Anonymous;

    public static void Set(CallerIdentity caller) => RequestContext.Set(Key, caller);

    /// <summary>Runs <paramref name="action"/> as the system (internal work), restoring the caller afterwards.</summary>
    public static async Task<T> AsSystemAsync<T>(Func<Task<T>> action)
    {
        var previous = RequestContext.Get(Key);
        Set(CallerIdentity.System);
        try
        {
            return await action();
        }
        finally
        {
            if (previous is null) RequestContext.Remove(Key); else RequestContext.Set(Key, previous);
        }
    }
}
