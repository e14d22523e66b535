using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ThreatGraph.GraphApi.Security;

/// <summary>
/// Limits failed authentications per client address (README "Abuse limits"): a token bucket of
/// <see cref="SecurityOptions.FailedAuthBurst"/> attempts refilled at <see cref="SecurityOptions.FailedAuthPerSecond"/>.
/// Checking a credential this address has not used successfully costs a token, given back when it succeeds; with no
/// token left such a credential is not checked at all (429), so a guess answered 429 learns nothing — not even a
/// valid key tells itself apart. Credentials that authenticated from the address within the last hour are remembered
/// (their SHA-256, at most 16 per address) and always checked: an organisation sharing the address (a NAT, a proxy)
/// keeps working while someone behind it guesses. IPv6 addresses are limited per /64 (one host usually holds a whole
/// /64). Idle addresses are forgotten.
/// </summary>
public sealed class FailedAuthenticationLimiter(IOptions<SecurityOptions> options, TimeProvider clock)
{
    const int MaxRememberedPerAddress = 16;
    const int SweepAbove = 10_000;
    static readonly TimeSpan RememberFor = TimeSpan.FromHours(1);

    readonly SecurityOptions _limits = options.Value;
    readonly TimeProvider _clock = clock;
    readonly ConcurrentDictionary<string, Bucket> _addresses = new(StringComparer.Ordinal);
    long _lastSweep;

    /// <summary>Before checking <paramref name="credential"/> presented from <paramref name="address"/>.</summary>
    public Attempt Begin(IPAddress? address, string credential)
    {
        var now = _clock.GetTimestamp();
        SweepIfLarge(now);
        var bucket = _addresses.GetOrAdd(KeyOf(address), _ => new Bucket(_limits.FailedAuthBurst, now));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(credential));
        lock (bucket)
        {
            bucket.Refill(_clock, now, _limits);
            if (bucket.Remembers(hash, _clock.GetUtcNow()))
            {
                return new Attempt(this, bucket, hash, allowed: true, tokenTaken: false, TimeSpan.Zero, firstDenial: false);
            }
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                bucket.Denying = false;
                return new Attempt(this, bucket, hash, allowed: true, tokenTaken: true, TimeSpan.Zero, firstDenial: false);
            }
            var first = !bucket.Denying;
            bucket.Denying = true;
            var wait = Math.Max(1, (int)Math.Ceiling((1 - bucket.Tokens) / _limits.FailedAuthPerSecond));
            return new Attempt(this, bucket, hash, allowed: false, tokenTaken: false, TimeSpan.FromSeconds(wait), first);
        }
    }

    /// <summary>The bucket key of an address: IPv4 (also IPv4-mapped IPv6) as is, IPv6 by its /64.</summary>
    public static string KeyOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    void SweepIfLarge(long now)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (_addresses.Count <= SweepAbove || _clock.GetElapsedTime(last, now) < TimeSpan.FromSeconds(10)
            || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }
        var utcNow = _clock.GetUtcNow();
        foreach (var (key, bucket) in _addresses)
        {
            lock (bucket)
            {
                bucket.Refill(_clock, now, _limits);
                if (bucket.IsIdle(_limits, utcNow))
                {
                    _addresses.TryRemove(new KeyValuePair<string, Bucket>(key, bucket));
                }
            }
        }
    }

    /// <summary>One credential check. When <see cref="Allowed"/>, call <see cref="Succeeded"/>, <see cref="Failed"/>
    /// or <see cref="NotChecked"/> once it is known how it went.</summary>
    public sealed class Attempt
    {
        readonly FailedAuthenticationLimiter _owner;
        readonly Bucket _bucket;
        readonly byte[] _hash;
        readonly bool _tokenTaken;

        internal Attempt(FailedAuthenticationLimiter owner, Bucket bucket, byte[] hash, bool allowed, bool tokenTaken, TimeSpan retryAfter, bool firstDenial)
        {
            (_owner, _bucket, _hash, _tokenTaken) = (owner, bucket, hash, tokenTaken);
            (Allowed, RetryAfter, FirstDenial) = (allowed, retryAfter, firstDenial);
        }

        /// <summary>Whether the credential may be checked; if not, answer 429 with <see cref="RetryAfter"/>.</summary>
        public bool Allowed { get; }

        public TimeSpan RetryAfter { get; }

        /// <summary>The first refusal since the address last had budget (log it once, not per request).</summary>
        public bool FirstDenial { get; }

        /// <summary>The credential authenticated: its token is given back and the address remembers it.</summary>
        public void Succeeded()
        {
            lock (_bucket)
            {
                GiveBack();
                _bucket.Remember(_hash, _owner._clock.GetUtcNow());
            }
        }

        /// <summary>The credential was refused: its token stays spent, and the address forgets it (a revoked key).</summary>
        public void Failed()
        {
            lock (_bucket)
            {
                _bucket.Forget(_hash);
            }
        }

        /// <summary>Nothing was checked (e.g. a bearer token while tokens are off): the token is given back.</summary>
        public void NotChecked()
        {
            lock (_bucket)
            {
                GiveBack();
            }
        }

        void GiveBack()
        {
            if (_tokenTaken)
            {
                _bucket.Tokens = Math.Min(_owner._limits.FailedAuthBurst, _bucket.Tokens + 1);
            }
        }
    }

    /// <summary>The failed-authentication budget of one address, and the credentials that worked from it.</summary>
    internal sealed class Bucket(double tokens, long stamp)
    {
        readonly List<(byte[] Hash, DateTimeOffset LastUsed)> _remembered = [];

        internal double Tokens { get; set; } = tokens;
        internal bool Denying { get; set; }

        internal void Refill(TimeProvider clock, long now, SecurityOptions limits)
        {
            var elapsed = clock.GetElapsedTime(stamp, now).TotalSeconds;
            stamp = now;
            Tokens = Math.Min(limits.FailedAuthBurst, Tokens + Math.Max(0, elapsed) * limits.FailedAuthPerSecond);
        }

        internal bool Remembers(byte[] hash, DateTimeOffset now)
        {
            _remembered.RemoveAll(r => now - r.LastUsed > RememberFor);
            var found = false;
            foreach (var (known, _) in _remembered)
            {
                found |= CryptographicOperations.FixedTimeEquals(known, hash);
            }
            return found;
        }

        internal void Remember(byte[] hash, DateTimeOffset now)
        {
            Forget(hash);
            _remembered.Add((hash, now));
            if (_remembered.Count > MaxRememberedPerAddress)
            {
                _remembered.RemoveAt(0);
            }
        }

        internal void Forget(byte[] hash) => _remembered.RemoveAll(r => CryptographicOperations.FixedTimeEquals(r.Hash, hash));

        internal bool IsIdle(SecurityOptions limits, DateTimeOffset now) =>
            Tokens >= limits.FailedAuthBurst && _remembered.TrueForAll(r => now - r.LastUsed > RememberFor);
    }
}
