using Microsoft.AspNetCore.Http;

namespace ThreatGraph.GraphApi.Hosting;

/// <summary>The headers on every file of the dashboard and GraphiQL: scripts, styles and connections from this origin
/// only (no CDN, no inline script), no framing, no referrer (a page URL holds object ids).</summary>
public static class ClientAppSecurityHeaders
{
    /// <summary>'self' covers ws:// and wss:// to this host (CSP 3). data: only for the images and fonts GraphiQL's
    /// stylesheet embeds.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self'; worker-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; "
        + "frame-ancestors 'none'; object-src 'none'";

    public static void Apply(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
        // Pages are re-checked on every load, so a new build is picked up; the bundles are small enough not to matter.
        headers.CacheControl = "no-cache";
    }
}
