using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ThreatGraph.GraphApi.Ingest;

/// <summary>
/// The per-organisation write quota: two token buckets per organisation, one of bytes and one of objects, each holding
/// one minute's allowance (<see cref="IngestQuotaOptions.OrgBytesPerMinute"/>, <see cref="IngestQuotaOptions.OrgObjectsPerMinute"/>)
/// and refilled continuously. A request takes from both at once or from neither, so a refused request costs nothing
/// and writes nothing. One organisation emptying its buckets leaves every other organisation's untouched. The buckets
/// live in the gateway process (like the request rate limiter): each gateway of a cluster counts its own.
/// </summary>
public sealed class WriteQuota(IOptions<IngestQuotaOptions> options, TimeProvider clock)
{
    readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Takes <paramref name="bytes"/> and <paramref name="objects"/> from the organisation's allowance.</summary>
    /// <exception cref="IngestRefusedException">429 when the allowance is short now (with the wait until it is not),
    /// 413 when the request is larger than a whole minute's allowance.</exception>
    public void Take(string org, long bytes, int objects)
    {
        var o = options.Value;
        if (bytes > o.OrgBytesPerMinute)
        {
            throw new IngestRefusedException(StatusCodes.Status413PayloadTooLarge, IngestRefusedException.LargerThanQuota,
                $"the request is {bytes} bytes, more than the whole write quota of {o.OrgBytesPerMinute} bytes per minute (Ingest:OrgBytesPerMinute); split it");
        }
        if (objects > o.OrgObjectsPerMinute)
        {
            throw new IngestRefusedException(StatusCodes.Status413PayloadTooLarge, IngestRefusedException.LargerThanQuota,
                $"the request has {objects} objects, more than the whole write quota of {o.OrgObjectsPerMinute} objects per minute (Ingest:OrgObjectsPerMinute); split it");
        }
        var bucket = _buckets.GetOrAdd(org, _ => new Bucket(o.OrgBytesPerMinute, o.OrgObjectsPerMinute, clock.GetTimestamp()));
        if (bucket.TryTake(bytes, objects, o.OrgBytesPerMinute, o.OrgObjectsPerMinute, clock) is { } wait)
        {
            var (what, quota, setting) = wait.ShortOfBytes
                ? ("bytes", o.OrgBytesPerMinute, "Ingest:OrgBytesPerMinute")
                : ("objects", (long)o.OrgObjectsPerMinute, "Ingest:OrgObjectsPerMinute");
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.Wait.TotalSeconds));
            throw new IngestRefusedException(StatusCodes.Status429TooManyRequests, IngestRefusedException.QuotaExceeded,
                $"organisation {org} is over its write quota of {quota} {what} per minute ({setting}): this request needs " +
                $"{(wait.ShortOfBytes ? bytes : objects)} {what}, {Math.Floor(wait.Available)} are left; nothing was written, retry after {seconds} s",
                wait.Wait);
        }
    }

    readonly record struct Shortage(bool ShortOfBytes, double Available, TimeSpan Wait);

    sealed class Bucket(double bytes, double objects, long stamp)
    {
        double _bytes = bytes, _objects = objects;
        long _stamp = stamp;

        /// <returns>Null when taken; else which allowance is short and how long until the request would fit.</returns>
        public Shortage? TryTake(long bytes, int objects, long bytesPerMinute, int objectsPerMinute, TimeProvider clock)
        {
            lock (this)
            {
                var now = clock.GetTimestamp();
                var minutes = clock.GetElapsedTime(_stamp, now).TotalMinutes;
                _stamp = now;
                _bytes = Math.Min(bytesPerMinute, _bytes + minutes * bytesPerMinute);
                _objects = Math.Min(objectsPerMinute, _objects + minutes * objectsPerMinute);
                var bytesWait = bytes > _bytes ? TimeSpan.FromMinutes((bytes - _bytes) / bytesPerMinute) : TimeSpan.Zero;
                var objectsWait = objects > _objects ? TimeSpan.FromMinutes((objects - _objects) / objectsPerMinute) : TimeSpan.Zero;
                if (bytesWait > TimeSpan.Zero || objectsWait > TimeSpan.Zero)
                {
                    return bytesWait >= objectsWait
                        ? new Shortage(true, _bytes, bytesWait)
                        : new Shortage(false, _objects, objectsWait);
                }
                _bytes -= bytes;
                _objects -= objects;
                return null;
            }
        }
    }
}
