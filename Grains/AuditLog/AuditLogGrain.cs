using ThreatGraph.Contracts.Audit;
using ThreatGraph.Contracts;

namespace ThreatGraph.Grains.AuditLog;

[GenerateSerializer, Alias("tg.AuditLogState")]
public sealed class AuditLogState
{
    /// <summary>The records after the sealed segments (in builds before segments: every record of the hour).</summary>
    [Id(0)] public List<AuditRecord> Records { get; set; } = [];
    /// <summary>How many sealed segments precede them.</summary>
    [Id(1)] public int SealedSegments { get; set; }
}

/// <summary>
/// Append-only audit records of one hour and organisation (see <see cref="IAuditLogGrain"/>). The tail is sealed into
/// a segment once it holds <see cref="SegmentRecords"/> records or about <see cref="SegmentChars"/> characters (a
/// record names up to 1,000 object ids), so each write is bounded whatever the hour holds. Only the tail is kept in
/// memory; a read fetches the sealed segments. A write that fails leaves the stored state and the tail as they were.
/// Reading them is checked by the gateway (auditor role, own organisation).
/// </summary>
public sealed class AuditLogGrain([PersistentState("audit", StorageNames.Graph)] IPersistentState<AuditLogState> state)
    : Grain, IAuditLogGrain
{
    public const int SegmentRecords = 500;
    public const int SegmentChars = 256 * 1024;

    public async Task AppendAsync(IReadOnlyList<AuditRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }
        var before = state.State;
        var tail = new List<AuditRecord>(before.Records.Count + records.Count);
        tail.AddRange(before.Records);
        tail.AddRange(records);
        var sealedSegments = before.SealedSegments;
        try
        {
            // Seal every full run from the front of the tail; each segment is written before the tail forgets it (a
            // crash in between leaves a segment that the next seal of the same number overwrites).
            while (FullSegment(tail) is var n && n > 0)
            {
                await GrainFactory.GetGrain<IAuditLogSegmentGrain>(IAuditLogSegmentGrain.KeyOf(this.GetPrimaryKeyString(), sealedSegments))
                    .SealAsync(tail.GetRange(0, n));
                tail.RemoveRange(0, n);
                sealedSegments++;
            }
            state.State = new AuditLogState { Records = tail, SealedSegments = sealedSegments };
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = before;
            throw;
        }
    }

    public async Task<IReadOnlyList<AuditRecord>> ReadAsync()
    {
        var key = this.GetPrimaryKeyString();
        var (tail, count) = (state.State.Records, state.State.SealedSegments);
        var segments = await Task.WhenAll(Enumerable.Range(0, count)
            .Select(i => GrainFactory.GetGrain<IAuditLogSegmentGrain>(IAuditLogSegmentGrain.KeyOf(key, i)).GetAsync()));
        return [.. segments.SelectMany(s => s), .. tail];
    }

    /// <summary>How many records from the front of the tail make a full segment (0: not full yet).</summary>
    static int FullSegment(List<AuditRecord> tail)
    {
        var chars = 0;
        for (var i = 0; i < tail.Count; i++)
        {
            chars += SizeOf(tail[i]);
            if (i + 1 >= SegmentRecords || chars >= SegmentChars)
            {
                return i + 1;
            }
        }
        return 0;
    }

    static int SizeOf(AuditRecord r) =>
        64 + r.Org.Length + r.Member.Length + r.KeyId.Length + r.Operation.Length + r.Outcome.Length + r.Objects.Sum(o => o.Length + 4);
}
